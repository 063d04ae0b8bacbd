package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.App;
import registrypullaccess.Golden;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.settings.InvalidSettingsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.ACCOUNT;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.KEY;
import static registrypullaccess.Fixtures.MEMBER;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.SECRET;
import static registrypullaccess.Fixtures.TODAY;
import static registrypullaccess.Fixtures.decodedDockerConfig;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.settings;

class PullAccessTest {

    private static final String CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

    static final ArtifactRepository EU_GCR = ArtifactRepository.parse("eu.gcr.io", "acme-dev");
    static final ArtifactRepository SHARED_IMAGES =
            ArtifactRepository.parse("europe-west1-docker.pkg.dev/acme-shared/images", "acme-dev");
    static final ArtifactRepository SHARED_TOOLS =
            ArtifactRepository.parse("europe-west1-docker.pkg.dev/acme-shared/tools", "acme-dev");

    @Test
    void createsOneServiceAccountInTheStackProject() {
        var run = deploy(settings(List.of(EU_GCR), List.of("default"), Optional.empty()));

        var accounts = run.ofType(ACCOUNT);
        assertEquals(1, accounts.size());
        var account = accounts.get(0);
        assertEquals("pull-access/sa", account.name());
        assertEquals("acme-dev", account.input("project"));
        assertEquals("image-puller", account.input("accountId"));
        assertEquals("Kubernetes image puller", account.input("displayName"));
    }

    @Test
    void grantsTheReaderRoleOnEachRepositoryAndNothingProjectWide() {
        var run = deploy(settings(List.of(EU_GCR, SHARED_IMAGES, SHARED_TOOLS), List.of("default"), Optional.empty()));

        var grants = run.ofType(GRANT);
        assertEquals(3, grants.size());
        for (var expected : List.of(EU_GCR, SHARED_IMAGES, SHARED_TOOLS)) {
            var grant = grants.stream()
                    .filter(g -> expected.repository().equals(g.input("repository")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no grant on " + expected));
            assertEquals("roles/artifactregistry.reader", grant.input("role"));
            assertEquals(expected.project(), grant.input("project"));
            assertEquals(expected.location(), grant.input("location"));
            assertEquals(MEMBER, grant.input("member"));
        }
        assertEquals(
                Set.of(
                        "pull-access/reader/acme-dev/europe/eu.gcr.io",
                        "pull-access/reader/acme-shared/europe-west1/images",
                        "pull-access/reader/acme-shared/europe-west1/tools"),
                Set.copyOf(grants.stream().map(DeclaredResource::name).toList()));
        assertTrue(
                run.resources().stream()
                        .noneMatch(r -> r.type().contains("iAM")
                                || r.type().contains("IamBinding")
                                || r.type().contains("IamPolicy")),
                "only additive, repository-scoped grants");
    }

    @Test
    void createsAKeyForTheAccountItCreated() {
        var run = deploy(settings(List.of(EU_GCR), List.of("default"), Optional.empty()));

        var key = run.ofType(KEY).get(0);
        assertEquals("pull-access/key-even", key.name(), "2026-11-28 is in an even rotation period");
        assertEquals(
                "projects/acme-dev/serviceAccounts/image-puller@acme-dev.iam.gserviceaccount.com",
                key.input("serviceAccountId"));
        assertTrue(key.dependencies().contains(run.ofType(ACCOUNT).get(0).urn()));
    }

    @Test
    void writesTheSecretKubectlWritesInEveryNamespace() {
        var run = deploy(
                settings(List.of(EU_GCR), List.of("team-a", "team-b"), Optional.of("platform-team@acme.example")));

        var secrets = run.ofType(SECRET);
        assertEquals(Set.of("team-a", "team-b"), namespacesOf(secrets));
        for (var secret : secrets) {
            assertEquals("registry-pull-secret", secret.input("metadata", "name"));
            assertEquals("kubernetes.io/dockerconfigjson", secret.input("type"));
            assertEquals(Golden.read("eu.gcr.io-with-email.json"), decodedDockerConfig(secret));
        }
    }

    @Test
    void givesEveryHostOneEntryMatchingKubectl() {
        var run = deploy(settings(List.of(SHARED_IMAGES, EU_GCR, SHARED_TOOLS), List.of("default"), Optional.empty()));

        var secret = run.ofType(SECRET).get(0);
        var json = decodedDockerConfig(secret);

        assertEquals(
                "eu.gcr.io,europe-west1-docker.pkg.dev",
                secret.input("metadata", "annotations", PullSecrets.HOSTS_ANNOTATION));
        assertEquals(Golden.combined("eu.gcr.io.json", "europe-west1-docker.pkg.dev.json"), json);
    }

    @Test
    void eachSecretChangesInPlaceAndIsDeletedByTheConfigMapThatOwnsIt() {
        var run = deploy(settings(List.of(EU_GCR), List.of("team-a", "team-b"), Optional.empty()));

        var managers = new java.util.HashSet<Object>();
        for (var secret : run.ofType(SECRET)) {
            var namespace = secret.input("metadata", "namespace");
            // Replaced create-first, onto itself: the provider would delete a fixed-name Secret first.
            assertEquals(Optional.of(false), secret.options().deleteBeforeReplace());
            assertTrue(secret.options().retainOnDelete(), "deleting the old one would delete the same object");
            var owner = run.ofType(CONFIG_MAP).stream()
                    .filter(map -> namespace.equals(map.input("metadata", "namespace")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("pull-access/" + namespace + "/pull-secret-owner", owner.name());
            assertEquals("registry-pull-secret-owner", owner.input("metadata", "name"));
            assertFalse(owner.options().retainOnDelete(), "the owner's deletion is the Secret's");
            assertEquals(
                    List.of(Map.of(
                            "apiVersion",
                            "v1",
                            "kind",
                            "ConfigMap",
                            "name",
                            "registry-pull-secret-owner",
                            "uid",
                            FakeGoogleCloud.uid(namespace + "/registry-pull-secret-owner"))),
                    secret.input("metadata", "ownerReferences"));
            assertTrue(secret.dependencies().contains(owner.urn()));
            var manager = secret.input("metadata", "annotations", "pulumi.com/patchFieldManager");
            assertTrue(String.valueOf(manager).matches("registry-pull-access-[0-9a-f]{16}"), String.valueOf(manager));
            managers.add(manager);
        }
        assertEquals(2, managers.size(), "one field manager per Secret");
    }

    @Test
    void theClusterWideSourceChangesInPlaceTooButIsNotForced() {
        var run = deploy(registrypullaccess.Fixtures.fromConfig(
                "allNamespaces", "true", "verifyImage", registrypullaccess.Fixtures.CHECK_IMAGE));

        var source = run.ofType(SECRET).get(0);
        assertEquals(Optional.of(false), source.options().deleteBeforeReplace());
        assertTrue(source.options().retainOnDelete());
        assertEquals(
                "registry-pull-secret-owner",
                ((Map<?, ?>) ((List<?>) source.input("metadata", "ownerReferences")).get(0)).get("name"));
        assertEquals(null, source.input("metadata", "annotations", "pulumi.com/patchForce"));
        assertEquals(1, run.ofType(CONFIG_MAP).size());
    }

    @Test
    void keepsTheSecretDataSecretEvenWhenTheProviderReturnsTheKeyUnmarked() {
        var run = deploy(
                new FakeGoogleCloud().returningPlainPrivateKeys(),
                settings(List.of(EU_GCR), List.of("default"), Optional.empty()),
                TODAY);

        var secret = run.ofType(SECRET).get(0);
        assertTrue(secret.isSecret("data"), "the program itself must mark the Secret's data secret");
        assertEquals(Golden.read("eu.gcr.io.json"), decodedDockerConfig(secret));
    }

    @Test
    void labelsTheSecretAsThisProgramsSoKubectlCanFindIt() {
        var run = deploy(settings(List.of(EU_GCR), List.of("team-a"), Optional.empty()));

        var secret = run.ofType(SECRET).get(0);
        assertEquals(
                Map.of("app.kubernetes.io/managed-by", "pulumi", "app.kubernetes.io/part-of", "registry-pull-access"),
                secret.input("metadata", "labels"));
        assertEquals("team-a", secret.input("metadata", "namespace"));
    }

    @Test
    void marksTheSecretDataSecret() {
        var run = deploy(settings(List.of(EU_GCR), List.of("default"), Optional.empty()));

        var secret = run.ofType(SECRET).get(0);
        assertTrue(secret.isSecret("data"), "the Secret's data must be registered as secret");
        assertTrue(secret.dependencies().contains(run.ofType(KEY).get(0).urn()));
    }

    @Test
    void patchesTheDefaultServiceAccountOfEveryNamespaceAfterItsSecretExists() {
        var run = deploy(settings(List.of(EU_GCR), List.of("team-a", "team-b"), Optional.empty()));

        var patches = run.ofType(PATCH);
        assertEquals(Set.of("team-a", "team-b"), namespacesOf(patches));
        for (var patch : patches) {
            var namespace = patch.input("metadata", "namespace");
            var secret = run.ofType(SECRET).stream()
                    .filter(s -> namespace.equals(s.input("metadata", "namespace")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("default", patch.input("metadata", "name"));
            assertEquals(List.of(Map.of("name", "registry-pull-secret")), patch.input("imagePullSecrets"));
            assertTrue(patch.dependencies().contains(secret.urn()), "the patch must wait for its own Secret");
        }
        assertTrue(
                run.resources().stream().noneMatch(r -> r.type().equals("kubernetes:core/v1:ServiceAccount")),
                "the program must never own, and so never delete, a ServiceAccount");
    }

    @Test
    void parentsEveryResourceToTheComponentAndNamesItFromIt() {
        var run = deploy(settings(List.of(EU_GCR), List.of("default"), Optional.empty()));

        var component = run.ofType(PullAccess.TYPE).get(0);
        var children = run.resources().stream()
                .filter(r -> !r.type().equals(PullAccess.TYPE) && !r.type().equals("pulumi:pulumi:Stack"))
                .toList();
        assertEquals(
                7, children.size(), "account, key, grant, Secret, its owner, patch, the record of what was deployed");
        for (var child : children) {
            assertEquals(component.urn(), child.parentUrn(), child.name());
            assertTrue(child.name().startsWith(component.name() + "/"), child.name());
        }
    }

    @Test
    void exportsWhatAUserNeedsAndNoKeyMaterial() {
        var run = deploy(settings(List.of(SHARED_IMAGES, EU_GCR), List.of("team-a", "team-b"), Optional.empty()));

        assertEquals(
                Map.of(
                        "serviceAccountEmail", "image-puller@acme-dev.iam.gserviceaccount.com",
                        "pullSecretName", "registry-pull-secret",
                        "namespaces", List.of("team-a", "team-b"),
                        "registryHosts", List.of("eu.gcr.io", "europe-west1-docker.pkg.dev"),
                        "registries",
                                List.of(
                                        Map.of(
                                                "entry",
                                                "europe-west1-docker.pkg.dev/acme-shared/images",
                                                "host",
                                                "europe-west1-docker.pkg.dev",
                                                "role",
                                                "roles/artifactregistry.reader",
                                                "resource",
                                                "projects/acme-shared/locations/europe-west1/repositories/images"),
                                        Map.of(
                                                "entry",
                                                "eu.gcr.io",
                                                "host",
                                                "eu.gcr.io",
                                                "role",
                                                "roles/artifactregistry.reader",
                                                "resource",
                                                "projects/acme-dev/locations/europe/repositories/eu.gcr.io")),
                        "keyPeriodStart", "2026-09-04",
                        "nextKeyRotation", "2026-12-03"),
                run.outputs());
        var printed = run.outputs().toString();
        assertFalse(printed.contains("PRIVATE KEY") || printed.contains("_json_key") || printed.contains("auths"));
    }

    @Test
    void declaresNothingWhenTheConfigurationIsInvalid() {
        var run = OfflineRun.run(
                Map.of("gcp:project", "acme-dev", "registry-pull-access:registries", "[\"docker.io\"]"),
                Set.of(),
                App::stack);

        assertInstanceOf(InvalidSettingsException.class, run.failure().orElseThrow());
        assertTrue(
                run.resources().stream().allMatch(r -> r.type().equals("pulumi:pulumi:Stack")),
                run.resources().toString());
    }

    @Test
    void readsTheStackConfigurationThroughThePulumiContext() {
        var run = OfflineRun.run(
                Map.of(
                        "gcp:project",
                        "acme-dev",
                        "registry-pull-access:registries",
                        "[\"eu.gcr.io\"]",
                        "registry-pull-access:namespaces",
                        "[\"team-a\"]"),
                Set.of(),
                App::stack);

        assertEquals(List.of(), run.exceptions());
        assertEquals("team-a", run.ofType(SECRET).get(0).input("metadata", "namespace"));
        assertEquals("image-puller", run.ofType(ACCOUNT).get(0).input("accountId"));
    }

    private static Set<Object> namespacesOf(List<DeclaredResource> resources) {
        return Set.copyOf(
                resources.stream().map(r -> r.input("metadata", "namespace")).toList());
    }
}
