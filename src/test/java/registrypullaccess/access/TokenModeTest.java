package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import registrypullaccess.CrdSchema;
import registrypullaccess.OutsideMutationTesting;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.pullsecret.DockerConfigJson;
import registrypullaccess.pullsecret.GoTemplate;
import registrypullaccess.pullsecret.RegistryCredential;
import registrypullaccess.pullsecret.SecretContent;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.Settings;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.ACCOUNT;
import static registrypullaccess.Fixtures.GHCR_PASSWORD;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.KEY;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.RELEASE;
import static registrypullaccess.Fixtures.SECRET;
import static registrypullaccess.Fixtures.TODAY;
import static registrypullaccess.Fixtures.decodedDockerConfig;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;
import static registrypullaccess.Fixtures.runWithOtherRegistry;

/** Token mode: short-lived registry tokens through External Secrets Operator, and no key anywhere. */
class TokenModeTest {

    static final String GENERATOR = "kubernetes:generators.external-secrets.io/v1alpha1:GCRAccessToken";
    static final String EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
    static final String MINTER = "kubernetes:core/v1:ServiceAccount";
    static final String WORKLOAD_IDENTITY_USER = "gcp:serviceaccount/iAMMember:IAMMember";
    static final String POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool";
    static final String PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";
    static final String GKE_CLUSTER = "projects/acme-dev/locations/europe-west1/clusters/dev";
    static final String ISSUER = "https://oidc.acme.example/cluster";
    static final String JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
    static final String ACCOUNT_NAME =
            "projects/acme-dev/serviceAccounts/image-puller@acme-dev.iam.gserviceaccount.com";
    static final String POOL_NAME =
            "projects/" + FakeGoogleCloud.PROJECT_NUMBER + "/locations/global/workloadIdentityPools/image-puller";
    static final String PROVIDER_NAME = POOL_NAME + "/providers/kubernetes";
    static final String STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";
    static final String ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
    static final String ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
    static final String HOME = "registry-pull-access";

    static Settings onGke(String... more) {
        return token("gkeCluster", GKE_CLUSTER, more);
    }

    static Settings onAnyCluster(String... more) {
        return token("oidcIssuer", ISSUER, more);
    }

    private static Settings token(String identityKey, String identity, String... more) {
        var keysAndValues = new java.util.ArrayList<>(List.of(
                "credentials",
                "token",
                identityKey,
                identity,
                "registries",
                "[\"eu.gcr.io\",\"europe-west1-docker.pkg.dev/acme-shared/images\"]",
                "namespaces",
                "[\"team-a\",\"team-b\"]"));
        keysAndValues.addAll(List.of(more));
        return fromConfig(keysAndValues.toArray(String[]::new));
    }

    private static List<DeclaredResource> inNamespace(OfflineRun run, String type, String namespace) {
        return run.ofType(type).stream()
                .filter(r -> namespace.equals(r.input("metadata", "namespace")))
                .toList();
    }

    /**
     * The minter by its name: the home namespace holds the reader's ServiceAccount too, and the two register in
     * whichever order their dependencies resolve.
     */
    private static DeclaredResource minter(OfflineRun run) {
        return inNamespace(run, MINTER, HOME).stream()
                .filter(account -> "registry-pull-secret-minter".equals(account.input("metadata", "name")))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> object(DeclaredResource resource) {
        var object = new LinkedHashMap<String, Object>();
        for (var field : List.of("apiVersion", "kind", "metadata", "spec")) {
            object.put(field, resource.input(field));
        }
        return object;
    }

    /** The identity annotation of every ExternalSecret the run declares (the home one and the copies). */
    private static java.util.Set<Object> identityAnnotations(OfflineRun run) {
        var values = new java.util.HashSet<Object>();
        for (var externalSecret : run.ofType(EXTERNAL_SECRET)) {
            values.add(externalSecret.input("metadata", "annotations", "registry-pull-access/token-identity"));
        }
        return values;
    }

    @Test
    void everyExternalSecretSyncsAtOnceWhenTheIdentityThatMintsChanges() {
        var run = deploy(onGke());
        assertEquals(3, run.ofType(EXTERNAL_SECRET).size(), "the home ExternalSecret and two copies");
        var gke = identityAnnotations(run);
        assertEquals(1, gke.size(), "one identity, the same on each: " + gke);
        assertFalse(gke.contains(null));

        assertEquals(gke, identityAnnotations(deploy(onGke())), "the same in every run");
        var otherAccount = identityAnnotations(deploy(onGke("serviceAccountId", "team-puller")));
        var oidc = identityAnnotations(deploy(onAnyCluster()));
        assertNotEquals(gke, otherAccount);
        assertNotEquals(gke, oidc);
        assertNotEquals(otherAccount, oidc);
    }

    @Test
    void createsNoKeyAndNoSecretThatOutlivesAToken() {
        for (var settings : List.of(onGke(), onAnyCluster())) {
            var run = deploy(settings);

            assertEquals(List.of(), run.ofType(KEY));
            assertEquals(List.of(), run.ofType(SECRET), "the token Secret is ESO's, written from each new token");
            assertEquals(1, run.ofType(ACCOUNT).size());
            assertEquals(3, run.ofType(EXTERNAL_SECRET).size(), "the home namespace's and a copy in each listed one");
        }
    }

    @Test
    void onGkeLetsOnlyTheHomeNamespacesMinterActAsThePuller() {
        var run = deploy(onGke());

        var users = run.ofType(WORKLOAD_IDENTITY_USER);
        assertEquals(
                List.of("serviceAccount:acme-dev.svc.id.goog[registry-pull-access/registry-pull-secret-minter]"),
                users.stream().map(user -> user.input("member")).toList());
        users.forEach(user -> {
            assertEquals("roles/iam.workloadIdentityUser", user.input("role"));
            assertEquals(ACCOUNT_NAME, user.input("serviceAccountId"), "on the puller only, not the project");
        });
        assertEquals(List.of(), run.ofType(POOL), "GKE clusters have their own pool");
        assertEquals(List.of(), inNamespace(run, MINTER, "team-a"), "a listed namespace mints nothing");
        assertEquals(List.of(), inNamespace(run, GENERATOR, "team-a"));
        var minter = minter(run);
        assertEquals("registry-pull-secret-minter", minter.input("metadata", "name"));
        assertEquals(
                Map.of("iam.gke.io/gcp-service-account", "image-puller@acme-dev.iam.gserviceaccount.com"),
                minter.input("metadata", "annotations"));
        assertEquals(false, minter.input("automountServiceAccountToken"));
        assertEquals(
                Map.of(
                        "workloadIdentity",
                        Map.of(
                                "clusterProjectID",
                                "acme-dev",
                                "clusterLocation",
                                "europe-west1",
                                "clusterName",
                                "dev",
                                "serviceAccountRef",
                                Map.of("name", "registry-pull-secret-minter"))),
                inNamespace(run, GENERATOR, HOME).get(0).input("spec", "auth"));
    }

    @Test
    void onAnyClusterTrustsTheIssuerForTheMinterAlone() {
        var run = deploy(onAnyCluster("oidcJwks", JWKS));

        var pool = run.ofType(POOL).get(0);
        assertEquals("image-puller", pool.input("workloadIdentityPoolId"));
        assertEquals("acme-dev", pool.input("project"));
        var provider = run.ofType(PROVIDER).get(0);
        assertEquals("kubernetes", provider.input("workloadIdentityPoolProviderId"));
        assertEquals(Map.of("issuerUri", ISSUER, "jwksJson", JWKS), provider.input("oidc"));
        assertEquals(Map.of("google.subject", "assertion.sub"), provider.input("attributeMapping"));
        assertEquals(
                "assertion.sub.startsWith('system:serviceaccount:') "
                        + "&& assertion.sub.endsWith(':registry-pull-secret-minter')",
                provider.input("attributeCondition"));
        assertEquals(
                List.of("principal://iam.googleapis.com/" + POOL_NAME
                        + "/subject/system:serviceaccount:registry-pull-access:registry-pull-secret-minter"),
                run.ofType(WORKLOAD_IDENTITY_USER).stream()
                        .map(user -> user.input("member"))
                        .toList());
        assertEquals(
                Map.of(
                        "workloadIdentityFederation",
                        Map.of(
                                "audience",
                                "//iam.googleapis.com/" + PROVIDER_NAME,
                                "serviceAccountRef",
                                Map.of(
                                        "name",
                                        "registry-pull-secret-minter",
                                        "audiences",
                                        List.of("https://iam.googleapis.com/" + PROVIDER_NAME)),
                                "gcpServiceAccountEmail",
                                "image-puller@acme-dev.iam.gserviceaccount.com")),
                inNamespace(run, GENERATOR, HOME).get(0).input("spec", "auth"));
        assertEquals(Map.of(), minter(run).input("metadata", "annotations"));
    }

    @Test
    void readsTheRegistriesWithTheSameRepositoryGrantsAsKeyMode() {
        var token = deploy(onAnyCluster()).ofType(GRANT);
        var key = deploy(fromConfig(
                        "registries",
                        "[\"eu.gcr.io\",\"europe-west1-docker.pkg.dev/acme-shared/images\"]",
                        "namespaces",
                        "[\"team-a\",\"team-b\"]"))
                .ofType(GRANT);

        assertEquals(
                Set.copyOf(key.stream().map(DeclaredResource::inputs).toList()),
                Set.copyOf(token.stream().map(DeclaredResource::inputs).toList()));
        assertEquals(2, token.size());
    }

    @Test
    void everyOperatorObjectMatchesThePinnedCrdSchema() {
        for (var settings : List.of(onGke(), onAnyCluster("oidcJwks", JWKS, "email", "ops@acme.example"))) {
            var run = deploy(settings);
            run.ofType(GENERATOR)
                    .forEach(generator -> assertEquals(
                            List.of(),
                            CrdSchema.problems("generators.external-secrets.io_gcraccesstokens", object(generator))));
            run.ofType(EXTERNAL_SECRET)
                    .forEach(secret -> assertEquals(
                            List.of(), CrdSchema.problems("external-secrets.io_externalsecrets", object(secret))));
            assertEquals(
                    List.of(),
                    CrdSchema.problems("external-secrets.io_clustersecretstores", clusterObject(run.ofType(STORE))));
        }
    }

    /** The one ClusterSecretStore, as kubectl would send it. */
    private static Map<String, Object> clusterObject(List<DeclaredResource> stores) {
        assertEquals(1, stores.size());
        return object(stores.get(0));
    }

    @Test
    void theStoreSchemaCheckCatchesAFieldOfAnotherProviderAndANamespaceInTheMetadata() {
        var store = object(deploy(onGke()).ofType(STORE).get(0));
        var metadata = new HashMap<Object, Object>((Map<?, ?>) store.get("metadata"));
        metadata.put("namespace", "team-a");
        store.put("metadata", metadata);
        var spec = new HashMap<Object, Object>((Map<?, ?>) store.get("spec"));
        var provider = new HashMap<Object, Object>((Map<?, ?>) spec.get("provider"));
        provider.put("fake", Map.of());
        spec.put("provider", provider);
        store.put("spec", spec);

        var problems = CrdSchema.problems("external-secrets.io_clustersecretstores", store);

        assertEquals(
                List.of(
                        "$.metadata: property 'namespace' is not defined in the schema and the schema does not allow "
                                + "additional properties",
                        "$.spec.provider: must have at most 1 properties",
                        "$.spec.provider: property 'fake' is not defined in the schema and the schema does not allow "
                                + "additional properties"),
                problems);
    }

    @Test
    void theSchemaCheckCatchesAMisspeltFieldAndAWrongEnum() {
        var secret = object(deploy(onGke()).ofType(EXTERNAL_SECRET).get(0));
        var spec = new HashMap<Object, Object>((Map<?, ?>) secret.get("spec"));
        var target = new HashMap<Object, Object>((Map<?, ?>) spec.get("target"));
        target.put("creationPolicy", "Owned");
        target.put("nmae", "typo");
        spec.put("target", target);
        secret.put("spec", spec);

        var problems = CrdSchema.problems("external-secrets.io_externalsecrets", secret);

        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void theExternalSecretWritesWhatKubectlWritesFromEachToken() {
        var run = deploy(onGke("email", "ops@acme.example", "tokenRefreshMinutes", "20"));
        var spec = inNamespace(run, EXTERNAL_SECRET, HOME).get(0);

        assertEquals("10m0s", spec.input("spec", "refreshInterval"), "half: the copies take the other half");
        assertEquals("registry-pull-secret", spec.input("spec", "target", "name"));
        assertEquals(
                "Owner", spec.input("spec", "target", "creationPolicy"), "the Secret goes with the ExternalSecret");
        assertEquals("kubernetes.io/dockerconfigjson", spec.input("spec", "target", "template", "type"));
        assertEquals(
                List.of(Map.of(
                        "sourceRef",
                        Map.of(
                                "generatorRef",
                                Map.of(
                                        "apiVersion",
                                        "generators.external-secrets.io/v1alpha1",
                                        "kind",
                                        "GCRAccessToken",
                                        "name",
                                        "registry-pull-secret")))),
                spec.input("spec", "dataFrom"));
        var template = (String) spec.input("spec", "target", "template", "data", ".dockerconfigjson");
        var token = "ya29.c.b0AaekOfflineSampleToken-_.0123456789";
        var rendered = GoTemplate.execute(
                        Map.of("d", template),
                        Map.of("username", "oauth2accesstoken", "password", token, "expiry", "1796000000"))
                .get("d");
        var expected = new TreeMap<String, RegistryCredential>();
        for (var host : List.of("eu.gcr.io", "europe-west1-docker.pkg.dev")) {
            expected.put(host, new RegistryCredential("oauth2accesstoken", token, Optional.of("ops@acme.example")));
        }
        assertEquals(DockerConfigJson.render(expected), rendered);
        assertTrue(rendered.contains(TokenReadyJob.EXPECTED), "the wait for a token finds it in what ESO writes");
        assertFalse(
                DockerConfigJson.render(
                                Map.of("eu.gcr.io", new RegistryCredential("_json_key", "{}", Optional.empty())))
                        .contains(TokenReadyJob.EXPECTED),
                "and not in a key's");
        assertEquals(
                Map.of("registry-pull-access/hosts", "eu.gcr.io,europe-west1-docker.pkg.dev"),
                spec.input("spec", "target", "template", "metadata", "annotations"));
    }

    @Test
    void otherRegistriesKeepTheirPasswordsInASecretOfTheirOwnThatTheServiceAccountsAlsoList() {
        var run = runWithOtherRegistry("credentials", "token", "gkeCluster", GKE_CLUSTER);
        assertEquals(List.of(), run.exceptions());

        var other = run.ofType(SECRET).get(0);
        assertEquals("registry-pull-secret-other-registries", other.input("metadata", "name"));
        assertTrue(other.isSecret("data"), "passwords are secret in state");
        assertEquals("ghcr.io", other.input("metadata", "annotations", "registry-pull-access/hosts"));
        var template = (String)
                run.ofType(EXTERNAL_SECRET).get(0).input("spec", "target", "template", "data", ".dockerconfigjson");
        assertFalse(template.contains("ghcr.io") || template.contains(GHCR_PASSWORD), template);
        assertEquals(
                "{\"auths\":{\"ghcr.io\":{\"username\":\"acme-bot\",\"password\":\"" + GHCR_PASSWORD + "\","
                        + "\"auth\":\"YWNtZS1ib3Q6Z2hwX3NlY3JldA==\"}}}",
                decodedDockerConfig(other));
        var patch = run.ofType(PATCH).get(0);
        assertEquals(
                List.of(
                        Map.of("name", "registry-pull-secret"),
                        Map.of("name", "registry-pull-secret-other-registries")),
                patch.input("imagePullSecrets"));
        assertFalse(run.resources().toString().contains(GHCR_PASSWORD));
    }

    @Test
    void exportsTheRegistriesAndTheOperatorVersionItNeeds() {
        var run = deploy(onAnyCluster());

        assertEquals(
                List.of("eu.gcr.io", "europe-west1-docker.pkg.dev"),
                run.outputs().get("registryHosts"));
        assertEquals(2, ((List<?>) run.outputs().get("registries")).size());
        assertEquals("v2.9.0, expected in the cluster", run.outputs().get("externalSecretsOperator"));
    }

    @Test
    void thePullCheckRunsAgainWhenTheTokenSecretsHostsChange() {
        var one = deploy(onAnyCluster("verifyImage", "eu.gcr.io/acme-dev/app:1.0", "registries", "[\"eu.gcr.io\"]"));
        var two = deploy(onAnyCluster("verifyImage", "eu.gcr.io/acme-dev/app:1.0"));

        var annotation = PullCheckJob.CHECKED_SECRET_ANNOTATION;
        var first = pullChecks(one).get(0).input("spec", "template", "metadata", "annotations", annotation);
        var second = pullChecks(two).get(0).input("spec", "template", "metadata", "annotations", annotation);
        assertEquals(
                SecretContent.shape(
                        Map.of("eu.gcr.io", new RegistryCredential("oauth2accesstoken", "", Optional.empty()))),
                first);
        assertNotEquals(first, second);
    }

    @Test
    void patchesTheServiceAccountsAsKeyModeDoesAndDetachTakesOurEntryOut() {
        var cloud = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-a-creds", "registry-pull-secret")));

        var attached = deploy(cloud, onGke(), TODAY).ofType(PATCH);
        var detached = deploy(cloud, onGke("detach", "true"), TODAY).ofType(PATCH);

        assertEquals(
                List.of(Map.of("name", "team-a-creds"), Map.of("name", "registry-pull-secret")),
                attached.stream()
                        .filter(p -> "team-a".equals(p.input("metadata", "namespace")))
                        .findFirst()
                        .orElseThrow()
                        .input("imagePullSecrets"));
        assertEquals(
                List.of(Map.of("name", "team-a-creds")),
                detached.stream()
                        .filter(p -> "team-a".equals(p.input("metadata", "namespace")))
                        .findFirst()
                        .orElseThrow()
                        .input("imagePullSecrets"));
        assertTrue(attached.stream().allMatch(p -> p.options().retainOnDelete()));
    }

    @Test
    void theHomeWaitsForTheGrantAndTheOperatorTheCopiesForTheHomeAndTheServiceAccounts() {
        var run = deploy(onGke("installExternalSecrets", "true"));

        var release = run.ofType(RELEASE).get(0);
        assertEquals("external-secrets", release.input("chart"));
        assertEquals("2.9.0", release.input("version"));
        assertEquals(Map.of("repo", "https://charts.external-secrets.io"), release.input("repositoryOpts"));
        assertEquals(Map.of("installCRDs", true), release.input("values"));
        var generator = inNamespace(run, GENERATOR, HOME).get(0);
        assertTrue(generator.dependencies().contains(release.urn()), "destroy removes it while ESO still runs");
        assertTrue(generator
                .dependencies()
                .contains(run.ofType(WORKLOAD_IDENTITY_USER).get(0).urn()));
        var source = inNamespace(run, EXTERNAL_SECRET, HOME).get(0);
        assertTrue(source.dependencies().contains(generator.urn()));
        var store = run.ofType(STORE).get(0);
        assertTrue(store.dependencies().contains(release.urn()));
        assertTrue(store.dependencies().contains(run.ofType(ROLE_BINDING).get(0).urn()), "it reads as the reader");
        var copy = inNamespace(run, EXTERNAL_SECRET, "team-a").get(0);
        assertTrue(copy.dependencies().containsAll(List.of(source.urn(), store.urn(), release.urn())));
        run.ofType(PATCH).stream()
                .filter(p -> "team-a".equals(p.input("metadata", "namespace")))
                .forEach(patch -> assertTrue(copy.dependencies().contains(patch.urn())));
        assertEquals("v2.9.0, installed by this stack", run.outputs().get("externalSecretsOperator"));
        assertEquals(
                "v2.9.0, expected in the cluster", deploy(onGke()).outputs().get("externalSecretsOperator"));
    }

    @Test
    void theServiceAccountsListTheOtherRegistriesSecretBeforeTheCopyReplacesWhatTheSecretHolds() {
        var run = runWithOtherRegistry(
                "credentials", "token", "gkeCluster", GKE_CLUSTER, "namespaces", "[\"team-a\",\"team-b\"]");

        var copy = inNamespace(run, EXTERNAL_SECRET, "team-a").get(0);
        var others = run.ofType(SECRET).stream()
                .filter(secret -> "team-a".equals(secret.input("metadata", "namespace")))
                .toList();
        var patches = run.ofType(PATCH).stream()
                .filter(patch -> "team-a".equals(patch.input("metadata", "namespace")))
                .toList();
        assertEquals(1, others.size());
        assertTrue(patches.stream()
                .allMatch(patch -> patch.dependencies().contains(others.get(0).urn())));
        assertTrue(patches.stream().allMatch(patch -> copy.dependencies().contains(patch.urn())));
    }

    @Test
    void eachListedNamespaceCopiesTheHomeSecretThroughTheStoreAsItIsWithoutATemplateOfItsData() {
        var run = deploy(onGke("tokenRefreshMinutes", "45"));

        var copy = inNamespace(run, EXTERNAL_SECRET, "team-a").get(0);
        assertEquals("registry-pull-secret", copy.input("metadata", "name"));
        assertEquals(
                Map.of("kind", "ClusterSecretStore", "name", "registry-pull-access-registry-pull-secret"),
                copy.input("spec", "secretStoreRef"));
        assertEquals(
                List.of(Map.of(
                        "secretKey",
                        ".dockerconfigjson",
                        "remoteRef",
                        Map.of("key", "registry-pull-secret", "property", ".dockerconfigjson"))),
                copy.input("spec", "data"));
        assertEquals(null, copy.input("spec", "dataFrom"), "no generator: nothing is minted here");
        assertEquals("registry-pull-secret", copy.input("spec", "target", "name"));
        assertEquals("Owner", copy.input("spec", "target", "creationPolicy"));
        assertEquals("Retain", copy.input("spec", "target", "deletionPolicy"), "a failed read keeps the last token");
        assertEquals("kubernetes.io/dockerconfigjson", copy.input("spec", "target", "template", "type"));
        // ESO v2.9.0 (externalsecret_controller_template.go): a template without data writes the data as read.
        assertEquals(null, copy.input("spec", "target", "template", "data"));
        assertEquals(
                inNamespace(run, EXTERNAL_SECRET, HOME).get(0).input("spec", "target", "template", "metadata"),
                copy.input("spec", "target", "template", "metadata"));
        // Home and copy each refresh every half: no copy holds a token older than tokenRefreshMinutes, 45 of 60.
        assertEquals("22m30s", copy.input("spec", "refreshInterval"));
        assertEquals("22m30s", inNamespace(run, EXTERNAL_SECRET, HOME).get(0).input("spec", "refreshInterval"));
    }

    @Test
    void theReaderMayGetTheHomeSecretAloneAndTheStoreServesTheListedNamespacesAlone() {
        var run = deploy(onAnyCluster());

        var reader = inNamespace(run, MINTER, HOME).stream()
                .filter(account -> "registry-pull-secret-reader".equals(account.input("metadata", "name")))
                .findFirst()
                .orElseThrow();
        assertEquals(false, reader.input("automountServiceAccountToken"));
        var role = run.ofType(ROLE).get(0);
        assertEquals(HOME, role.input("metadata", "namespace"));
        assertEquals(
                List.of(Map.of(
                        "apiGroups", List.of(""),
                        "resources", List.of("secrets"),
                        "resourceNames", List.of("registry-pull-secret"),
                        "verbs", List.of("get"))),
                role.input("rules"));
        var binding = run.ofType(ROLE_BINDING).get(0);
        assertEquals(
                List.of(Map.of("kind", "ServiceAccount", "name", "registry-pull-secret-reader", "namespace", HOME)),
                binding.input("subjects"));
        assertEquals(
                Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", "registry-pull-secret-reader"),
                binding.input("roleRef"));
        var store = run.ofType(STORE).get(0);
        assertEquals("registry-pull-access-registry-pull-secret", store.input("metadata", "name"));
        assertEquals(List.of(Map.of("namespaces", List.of("team-a", "team-b"))), store.input("spec", "conditions"));
        assertEquals(
                Map.of(
                        "remoteNamespace",
                        HOME,
                        "server",
                        Map.of(
                                "url",
                                "https://kubernetes.default.svc",
                                "caProvider",
                                Map.of(
                                        "type",
                                        "ConfigMap",
                                        "name",
                                        "kube-root-ca.crt",
                                        "key",
                                        "ca.crt",
                                        "namespace",
                                        HOME)),
                        "auth",
                        Map.of("serviceAccount", Map.of("name", "registry-pull-secret-reader", "namespace", HOME))),
                store.input("spec", "provider", "kubernetes"));
    }

    @Test
    @OutsideMutationTesting
    // About 50 s alone on 2 cores, and over the default 120 s (junit-platform.properties) under a loaded machine's.
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tenAndTwoThousandListedNamespacesDeclareOneGoogleIamMemberOnGkeAndElsewhereAsClusterWideDoes() {
        for (var identity : List.of(List.of("gkeCluster", GKE_CLUSTER), List.of("oidcIssuer", ISSUER))) {
            for (var count : List.of(10, 2000)) {
                var config = new HashMap<>(registrypullaccess.Fixtures.manyNamespaces(count, "eu.gcr.io"));
                config.put("registry-pull-access:credentials", "token");
                config.put("registry-pull-access:" + identity.get(0), identity.get(1));
                // Pods name the Secret: no ServiceAccount patches, which change nothing here and take time.
                config.put("registry-pull-access:serviceAccounts", "[]");
                var run = OfflineRun.run(config, Set.of(), registrypullaccess.App::stack);
                assertEquals(List.of(), run.exceptions());

                assertEquals(1, run.ofType(WORKLOAD_IDENTITY_USER).size(), identity + " with " + count);
                assertEquals(count + 1, run.ofType(EXTERNAL_SECRET).size());
            }
            var clusterWide = deploy(fromConfig(
                    "credentials",
                    "token",
                    identity.get(0),
                    identity.get(1),
                    "allNamespaces",
                    "true",
                    "verifyImage",
                    registrypullaccess.Fixtures.CHECK_IMAGE));
            assertEquals(1, clusterWide.ofType(WORKLOAD_IDENTITY_USER).size(), identity + " cluster-wide");
        }
    }

    @Test
    void aListedNamespaceAddsOnlyItsCopyItsWaitForATokenAndItsServiceAccountPatch() {
        var two = countsByType(deploy(onAnyCluster()));
        var three = countsByType(deploy(onAnyCluster("namespaces", "[\"team-a\",\"team-b\",\"team-c\"]")));

        var added = new TreeMap<String, Long>();
        three.forEach((type, count) -> {
            var more = count - two.getOrDefault(type, 0L);
            if (more != 0) {
                added.put(type, more);
            }
        });
        assertEquals(Map.of(EXTERNAL_SECRET, 1L, PATCH, 1L, registrypullaccess.Fixtures.JOB, 1L), added);
    }

    private static Map<String, Long> countsByType(OfflineRun run) {
        return run.resources().stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        DeclaredResource::type, java.util.stream.Collectors.counting()));
    }

    @Test
    void theSwitchFromAMinterPerNamespaceUpdatesEachNamespacesExternalSecretInPlaceAfterTheHomeIsMade() {
        var run = deploy(onGke());

        // The URN of the ExternalSecret each listed namespace minted with before: the engine updates it in place,
        // so the object that owns the Secret stays, and the Secret with it (never deleted, never replaced).
        var copy = inNamespace(run, EXTERNAL_SECRET, "team-a").get(0);
        assertEquals("pull-access/team-a/external-secret", copy.name());
        assertEquals("registry-pull-secret", copy.input("metadata", "name"));
        assertFalse(copy.options().deleteBeforeReplace().orElse(false));
        assertEquals(List.of(), copy.options().replaceOnChanges());
        // Everything it reads from is created first; the old minters, generators and grants are no longer
        // declared, and the engine deletes what a program no longer declares only after every create and update.
        var home = List.of(
                inNamespace(run, EXTERNAL_SECRET, HOME).get(0).urn(),
                run.ofType(STORE).get(0).urn());
        assertTrue(copy.dependencies().containsAll(home));
        assertEquals(
                List.of(HOME),
                run.ofType(GENERATOR).stream()
                        .map(g -> g.input("metadata", "namespace"))
                        .toList());
    }

    @Test
    void thePullCheckRunsInTokenModeAfterTheServiceAccountsListTheSecret() {
        var run = deploy(onAnyCluster("verifyImage", "europe-west1-docker.pkg.dev/acme-shared/images/app:1.0"));

        var jobs = pullChecks(run);
        assertEquals(2, jobs.size());
        var patches = run.ofType(PATCH).stream().map(DeclaredResource::urn).toList();
        jobs.forEach(job -> assertTrue(job.dependencies().stream().anyMatch(patches::contains)));
    }

    private static List<DeclaredResource> pullChecks(OfflineRun run) {
        return run.ofType(registrypullaccess.Fixtures.JOB).stream()
                .filter(job -> job.name().endsWith("/pull-check"))
                .toList();
    }

    /** Token mode cluster-wide, a first update: with the pull check, which it needs (overridden by {@code more}). */
    private static Settings clusterWide(String... more) {
        var keysAndValues = new java.util.ArrayList<>(List.of(
                "credentials",
                "token",
                "gkeCluster",
                GKE_CLUSTER,
                "registries",
                "[\"eu.gcr.io\"]",
                "allNamespaces",
                "true",
                "verifyImage",
                registrypullaccess.Fixtures.CHECK_IMAGE));
        keysAndValues.addAll(List.of(more));
        return fromConfig(keysAndValues.toArray(String[]::new));
    }

    private static DeclaredResource tokenReady(OfflineRun run, String namespace) {
        return job(run, "pull-access/" + namespace + "/token-ready");
    }

    private static DeclaredResource job(OfflineRun run, String name) {
        return run.ofType(registrypullaccess.Fixtures.JOB).stream()
                .filter(job -> job.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Job " + name));
    }

    @Test
    void eachListedNamespaceWaitsUntilItsSecretHoldsATokenBeforeTheCheck() {
        var run = deploy(onAnyCluster("verifyImage", "europe-west1-docker.pkg.dev/acme-shared/images/app:1.0"));

        for (var namespace : List.of("team-a", "team-b")) {
            var ready = tokenReady(run, namespace);
            assertEquals(namespace, ready.input("metadata", "namespace"));
            assertTrue(ready.dependencies()
                    .contains(
                            inNamespace(run, EXTERNAL_SECRET, namespace).get(0).urn()));
            var check = job(run, "pull-access/" + namespace + "/pull-check");
            assertTrue(check.dependencies().contains(ready.urn()), "the check pulls with the token, not a key");
        }
    }

    /** Two stacks on the same namespaces have different secretNames, so two waits; the default keeps its name. */
    @Test
    void theWaitForATokenIsNamedAfterASecretNameOtherThanTheDefault() {
        var run = deploy(onAnyCluster("secretName", "team-pull"));
        var other = deploy(onAnyCluster("secretName", "team-pull-2"));

        var name = tokenReady(run, "team-a").input("metadata", "name").toString();
        assertTrue(name.matches("pull-access-token-ready-[0-9a-f]{10}"), name);
        assertFalse(name.equals(tokenReady(other, "team-a").input("metadata", "name")));
        assertEquals(
                "pull-access-token-ready",
                tokenReady(deploy(onAnyCluster()), "team-a").input("metadata", "name"));
    }

    @Test
    void theWaitForATokenMountsTheTokenSecretAndEndsOnceItNamesTheTokensUsername() {
        var ready = tokenReady(deploy(clusterWide()), HOME);

        assertEquals("pull-access-token-ready", ready.input("metadata", "name"));
        assertEquals(
                Map.of("pulumi.com/timeoutSeconds", "1260", "pulumi.com/replaceUnready", "true"),
                ready.input("metadata", "annotations"));
        assertEquals(0.0, ready.input("spec", "backoffLimit"));
        assertEquals(1200.0, ready.input("spec", "activeDeadlineSeconds"), "Google's 7 minutes, ESO's backoff after");
        var pod = (Map<?, ?>) ready.input("spec", "template", "spec");
        assertEquals(
                List.of(Map.of("name", "minted", "secret", Map.of("secretName", "registry-pull-secret"))),
                pod.get("volumes"));
        assertEquals(false, pod.get("automountServiceAccountToken"));
        var container = (Map<?, ?>) ((List<?>) pod.get("containers")).get(0);
        assertEquals("busybox:1.36.1-musl", container.get("image"));
        assertEquals(
                List.of(Map.of("name", "EXPECTED", "value", "\"username\":\"oauth2accesstoken\"")),
                container.get("env"));
        assertEquals(
                List.of(
                        "/bin/busybox",
                        "sh",
                        "-c",
                        "until grep -qF \"$EXPECTED\" /minted/.dockerconfigjson; do sleep 5; done"),
                container.get("command"));
        assertEquals(
                List.of(Map.of("name", "minted", "mountPath", "/minted", "readOnly", true)),
                container.get("volumeMounts"));
        assertEquals(
                "mirror.example/busybox:1",
                ((Map<?, ?>) ((List<?>) tokenReady(
                                                deploy(clusterWide(
                                                        "verifyImage",
                                                        "eu.gcr.io/acme-dev/tools/check:1",
                                                        "verifyHelperImage",
                                                        "mirror.example/busybox:1")),
                                                HOME)
                                        .input("spec", "template", "spec", "containers"))
                                .get(0))
                        .get("image"),
                "the check's helper image, where one is set");
    }

    @Test
    void theWaitForATokenRunsVerifyHelperImageWithoutThePullCheckToo() {
        var settings = onAnyCluster("verifyHelperImage", "mirror.example/busybox:1");
        var ready = tokenReady(deploy(settings), "team-a");

        assertEquals(Optional.empty(), settings.pullCheck(), "no pull check");

        var container = (Map<?, ?>) ((List<?>) ready.input("spec", "template", "spec", "containers")).get(0);
        assertEquals("mirror.example/busybox:1", container.get("image"), "a mirror where Docker Hub is not reachable");
    }

    @Test
    void keyModeStopsBeforeCreatingAnythingWhereTheProjectForbidsKeys() {
        var run = OfflineRun.run(
                new FakeGoogleCloud().forbiddingKeyCreation(),
                Map.of(
                        "gcp:project",
                        "acme-dev",
                        "registry-pull-access:registries",
                        "[\"eu.gcr.io\"]",
                        "registry-pull-access:createNamespaces",
                        "true",
                        "registry-pull-access:namespaces",
                        "[\"team-a\"]"),
                Set.of(),
                registrypullaccess.App::stack);

        var failure = run.failure().orElseThrow();
        assertInstanceOf(InvalidSettingsException.class, failure);
        assertTrue(
                failure.getMessage().contains("constraints/iam.disableServiceAccountKeyCreation"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("credentials token")
                && failure.getMessage().contains("credentials node"));
        var declared =
                Set.copyOf(run.resources().stream().map(DeclaredResource::type).toList());
        assertTrue(
                Set.of("pulumi:pulumi:Stack", PullAccess.TYPE, "kubernetes:core/v1:ServiceAccount")
                        .containsAll(declared),
                "at most reads of live ServiceAccounts, nothing created: " + declared);
    }

    /**
     * Another account, project or way of proving the cluster runs the check again; the issuer's keys, set again after
     * they rotate, do not.
     */
    @Test
    void anotherTokenIdentityRunsThePullCheckAgain() {
        var image = "eu.gcr.io/acme-dev/app:1.0";
        var oidc = checkedIdentity(deploy(onAnyCluster("verifyImage", image)));

        assertNotEquals(null, oidc);
        assertEquals(oidc, checkedIdentity(deploy(onAnyCluster("verifyImage", image, "oidcJwks", JWKS))));
        assertNotEquals(oidc, checkedIdentity(deploy(onGke("verifyImage", image))));
        assertNotEquals(
                oidc, checkedIdentity(deploy(onAnyCluster("verifyImage", image, "serviceAccountId", "team-puller"))));
        assertNotEquals(
                oidc, checkedIdentity(deploy(token("oidcIssuer", "https://oidc.example.org", "verifyImage", image))));
    }

    private static Object checkedIdentity(OfflineRun run) {
        assertEquals(List.of(), run.exceptions());
        return pullChecks(run)
                .get(0)
                .input("spec", "template", "metadata", "annotations", IdentityChange.CHECKED_IDENTITY_ANNOTATION);
    }

    @Test
    void aChangedOtherRegistryHostOrUsernameRunsTheCheckAgainAsInKeyMode() {
        var checking = new String[] {
            "credentials", "token", "gkeCluster", GKE_CLUSTER, "verifyImage", "eu.gcr.io/acme-dev/app:1.0"
        };
        var before = checkedSecret(runWithOtherRegistry(checking));

        var renamed = new java.util.ArrayList<>(List.of(checking));
        renamed.addAll(List.of(
                "otherRegistries",
                "[{\"host\":\"ghcr.io\",\"username\":\"other-bot\",\"password\":\"" + GHCR_PASSWORD + "\"}]"));
        assertNotEquals(before, checkedSecret(runWithOtherRegistry(renamed.toArray(String[]::new))));
        var moved = new java.util.ArrayList<>(List.of(checking));
        moved.addAll(List.of(
                "otherRegistries",
                "[{\"host\":\"quay.io\",\"username\":\"acme-bot\",\"password\":\"" + GHCR_PASSWORD + "\"}]"));
        assertNotEquals(before, checkedSecret(runWithOtherRegistry(moved.toArray(String[]::new))));
    }

    private static Object checkedSecret(OfflineRun run) {
        assertEquals(List.of(), run.exceptions());
        return pullChecks(run)
                .get(0)
                .input("spec", "template", "metadata", "annotations", "registry-pull-access/checked-secret");
    }

    @Test
    void keyModeGoesOnWhenTheProviderAnswersThePolicyReadWithoutPolicyLists() {
        var run = deploy(new FakeGoogleCloud().omittingPolicyLists(), fromConfig(), TODAY);

        assertEquals(1, run.ofType(KEY).size(), "absent lists mean nothing enforced");
    }

    @Test
    void tokenModeNeedsNoPreflightAndPassesWhereKeysAreForbidden() {
        var run = deploy(new FakeGoogleCloud().forbiddingKeyCreation(), onGke(), TODAY);

        assertEquals(3, run.ofType(EXTERNAL_SECRET).size());
    }

    @Test
    void clusterWideTheTokenSecretIsMadeOnceInTheHomeNamespaceForKyvernoToCopy() {
        var run = deploy(clusterWide());

        var externalSecrets = run.ofType(EXTERNAL_SECRET);
        assertEquals(1, externalSecrets.size(), "one source, whatever the number of namespaces");
        var source = externalSecrets.get(0);
        assertEquals("registry-pull-access", source.input("metadata", "namespace"));
        assertEquals(
                "",
                ((Map<?, ?>) source.input("spec", "target", "template", "metadata", "labels"))
                        .get("generate.kyverno.io/clone-source"),
                "ESO rewrites labels on every refresh: it keeps Kyverno's");
        assertEquals(
                List.of("serviceAccount:acme-dev.svc.id.goog[registry-pull-access/registry-pull-secret-minter]"),
                run.ofType(WORKLOAD_IDENTITY_USER).stream()
                        .map(user -> user.input("member"))
                        .toList());
        assertEquals(List.of(), CrdSchema.problems("external-secrets.io_externalsecrets", object(source)));
        var copy = run.ofType("kubernetes:kyverno.io/v1:ClusterPolicy").stream()
                .filter(policy -> ((String) policy.input("metadata", "name")).endsWith("copy-pull-secret"))
                .findFirst()
                .orElseThrow();
        var ready = tokenReady(run, "registry-pull-access");
        assertTrue(ready.dependencies().contains(source.urn()));
        assertTrue(
                copy.dependencies().contains(ready.urn()),
                "Kyverno copies nothing from a source created after the policy: it waits for the Secret ESO writes");
        assertFalse(copy.dependencies().contains(source.urn()), "not only for the ExternalSecret");
        assertEquals(List.of(), run.ofType(PATCH), "Kyverno lists the Secret in the ServiceAccounts");
        assertEquals(List.of(), run.ofType(KEY));
    }

    @Test
    void clusterWideTokenModeRefusesOtherRegistriesWhosePasswordsKyvernoWouldNotCopy() {
        var run = runWithOtherRegistry("credentials", "token", "gkeCluster", GKE_CLUSTER, "allNamespaces", "true");

        var failure = run.failure().orElseThrow().getMessage();
        assertTrue(failure.contains("otherRegistries cannot be combined with"), failure);
        assertFalse(failure.contains(GHCR_PASSWORD), failure);
    }

    @Test
    void protectGuardsThePullerAndThePoolButNotTheGrantsOfNamespacesThatComeAndGo() {
        var run = deploy(onAnyCluster("protect", "true"));

        assertTrue(run.ofType(ACCOUNT).get(0).options().protect());
        assertTrue(run.ofType(POOL).get(0).options().protect());
        assertTrue(run.ofType(PROVIDER).get(0).options().protect());
        run.ofType(WORKLOAD_IDENTITY_USER)
                .forEach(user -> assertFalse(user.options().protect(), user.name()));
    }

    @Test
    void theOperatorItInstallsStaysWhenTheStackGoesSoOtherTeamsExternalSecretsStayToo() {
        var release =
                deploy(onGke("installExternalSecrets", "true")).ofType(RELEASE).get(0);

        assertTrue(release.options().retainOnDelete(), "uninstalling would delete the CRDs and every ExternalSecret");
    }

    @Test
    void clusterWideTheHomeNamespaceAndKyvernoStayWhenTheStackGoes() {
        var run = deploy(fromConfig(
                "allNamespaces",
                "true",
                "installKyverno",
                "true",
                "verifyImage",
                registrypullaccess.Fixtures.CHECK_IMAGE));

        assertTrue(run.ofType("kubernetes:core/v1:Namespace").stream()
                .filter(ns -> "registry-pull-access".equals(ns.input("metadata", "name")))
                .findFirst()
                .orElseThrow()
                .options()
                .retainOnDelete());
        assertTrue(run.ofType(RELEASE).get(0).options().retainOnDelete());
    }
}
