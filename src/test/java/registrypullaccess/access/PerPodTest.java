package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.CrdSchema;
import registrypullaccess.Fixtures;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.SECRET;
import static registrypullaccess.Fixtures.TODAY;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;
import static registrypullaccess.Fixtures.inNamespace;
import static registrypullaccess.access.ClusterWideCoverageTest.CLUSTER_ROLE;
import static registrypullaccess.access.ClusterWideCoverageTest.POLICY;
import static registrypullaccess.access.ClusterWideCoverageTest.rules;
import static registrypullaccess.access.LongLivedStackTest.LIVE_SERVICE_ACCOUNT;
import static registrypullaccess.access.PullCheckTest.IMAGE;
import static registrypullaccess.access.PullCheckTest.JOB;
import static registrypullaccess.access.TokenModeTest.EXTERNAL_SECRET;
import static registrypullaccess.access.TokenModeTest.GKE_CLUSTER;

/**
 * `serviceAccounts: []`: the pull secret in every namespace, for pods that name it in their own spec, and no
 * ServiceAccount read or patched; and the ways between that and listing the secret in ServiceAccounts.
 */
class PerPodTest {

    private static final String OURS = "registry-pull-secret";
    private static final String COPY_POLICY = "registry-pull-access-copy-pull-secret";
    private static final String ENTRIES_POLICY = "registry-pull-access-pull-secret-entries";
    private static final String[] TOKEN = {"credentials", "token", "gkeCluster", GKE_CLUSTER};

    private static Settings settings(String[] mode, String... keysAndValues) {
        var all = new ArrayList<>(List.of(mode));
        all.addAll(List.of(keysAndValues));
        return fromConfig(all.toArray(String[]::new));
    }

    /** What each ServiceAccount of the cluster lists, keyed namespace/name. */
    private record Cluster(Map<String, List<String>> serviceAccounts) {

        /** Runs the program against this cluster. */
        OfflineRun run(Settings settings) {
            return deploy(new FakeGoogleCloud(serviceAccounts), settings, TODAY);
        }

        /**
         * The cluster after `pulumi up` applied a run: each patch the run declares writes its list; a patch the
         * program no longer declares is dropped from the state but retained on delete, so its ServiceAccount keeps
         * what the last patch wrote.
         */
        Cluster after(OfflineRun run) {
            var next = new HashMap<>(serviceAccounts);
            for (var patch : run.ofType(PATCH)) {
                assertTrue(patch.options().retainOnDelete(), patch.name());
                next.put(
                        patch.input("metadata", "namespace") + "/" + patch.input("metadata", "name"),
                        pullSecretsOf(patch));
            }
            return new Cluster(Map.copyOf(next));
        }
    }

    private static List<String> pullSecretsOf(DeclaredResource patch) {
        return ((List<?>) patch.input("imagePullSecrets"))
                .stream().map(entry -> (String) ((Map<?, ?>) entry).get("name")).toList();
    }

    private static Set<String> urns(List<DeclaredResource> resources) {
        return Set.copyOf(resources.stream().map(DeclaredResource::urn).toList());
    }

    private static DeclaredResource policy(OfflineRun run, String name) {
        return ClusterWideCoverageTest.policy(run, name);
    }

    private static boolean hasPolicy(OfflineRun run, String name) {
        return run.ofType(POLICY).stream().anyMatch(p -> name.equals(p.input("metadata", "name")));
    }

    private static List<Object> ruleNames(DeclaredResource policy) {
        return rules(policy).stream().map(rule -> rule.get("name")).toList();
    }

    @Test
    void withAKeyTheSecretIsInEveryNamespaceAndNoServiceAccountIsReadOrPatched() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-b-creds")));

        var run = deploy(cluster, fromConfig("namespaces", "[\"team-a\",\"team-b\"]", "serviceAccounts", "[]"), TODAY);

        assertEquals(
                Set.of("team-a", "team-b"),
                Set.copyOf(run.ofType(SECRET).stream()
                        .map(secret -> secret.input("metadata", "namespace"))
                        .toList()));
        assertEquals(List.of(), run.ofType(PATCH));
        assertEquals(List.of(), run.ofType(LIVE_SERVICE_ACCOUNT));
        assertEquals(List.of(), cluster.readIds(), "no ServiceAccount is read");
    }

    @Test
    void withATokenTheOperatorWritesTheSecretInEveryNamespaceAndNoServiceAccountIsReadOrPatched() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-b-creds")));

        var run = deploy(
                cluster, settings(TOKEN, "namespaces", "[\"team-a\",\"team-b\"]", "serviceAccounts", "[]"), TODAY);

        assertEquals(
                Set.of("team-a", "team-b"),
                Set.copyOf(run.ofType(EXTERNAL_SECRET).stream()
                        .map(secret -> secret.input("metadata", "namespace"))
                        .filter(namespace -> !"registry-pull-access".equals(namespace))
                        .toList()));
        assertEquals(List.of(), run.ofType(PATCH));
        assertEquals(List.of(), cluster.readIds(), "no ServiceAccount is read");
    }

    @Test
    void theOutputsNameWhatAPodListsInItsImagePullSecrets() {
        var run = deploy(fromConfig("serviceAccounts", "[]"));

        assertEquals(OURS, run.outputs().get("pullSecretName"));
        assertEquals(List.of(Map.of("name", OURS)), run.outputs().get("imagePullSecrets"));
        assertFalse(
                deploy(fromConfig()).outputs().containsKey("imagePullSecrets"),
                "only where pods must name the Secret themselves");
    }

    @Test
    void withATokenAndOtherRegistriesPodsNameBothSecretsAndTheCheckProvesBoth() {
        var run = Fixtures.runWithOtherRegistry(
                "credentials", "token", "gkeCluster", GKE_CLUSTER, "serviceAccounts", "[]", "verifyImage", IMAGE);
        assertEquals(List.of(), run.exceptions());

        var both = List.of(Map.of("name", OURS), Map.of("name", OURS + "-other-registries"));
        assertEquals(both, run.outputs().get("imagePullSecrets"));
        var check = run.ofType(JOB).stream()
                .filter(job -> job.name().endsWith("/pull-check"))
                .findFirst()
                .orElseThrow();
        assertEquals(both, check.input("spec", "template", "spec", "imagePullSecrets"));
    }

    @Test
    void thePullCheckNamesTheSecretInItsOwnPodAndRunsAsTheDefaultServiceAccountAfterTheSecret() {
        var run = deploy(
                fromConfig("namespaces", "[\"team-a\",\"team-b\"]", "serviceAccounts", "[]", "verifyImage", IMAGE));

        var jobs = run.ofType(JOB);
        assertEquals(2, jobs.size());
        for (var namespace : List.of("team-a", "team-b")) {
            var job = inNamespace(jobs, namespace);
            assertEquals(
                    List.of(Map.of("name", OURS)),
                    job.input("spec", "template", "spec", "imagePullSecrets"),
                    "no ServiceAccount carries the Secret: the pod names it, as a workload would");
            assertEquals("default", job.input("spec", "template", "spec", "serviceAccountName"));
            assertTrue(job.dependencies()
                    .contains(inNamespace(run.ofType(SECRET), namespace).urn()));
            assertTrue(job.dependencies().contains(run.ofType(GRANT).get(0).urn()));
        }
    }

    @Test
    void clusterWideKyvernoCopiesTheSecretAndNoPolicyTouchesServiceAccounts() {
        var run = deploy(fromConfig("allNamespaces", "true", "serviceAccounts", "[]", "verifyImage", IMAGE));

        assertTrue(hasPolicy(run, COPY_POLICY));
        assertFalse(hasPolicy(run, ENTRIES_POLICY), "no ServiceAccount is mutated");
        for (var role : run.ofType(CLUSTER_ROLE)) {
            assertFalse(
                    String.valueOf(role.input("rules")).contains("serviceaccounts"),
                    "Kyverno is not given ServiceAccounts it has no reason to change: " + role.name());
        }
    }

    @Test
    void clusterWideThePullCheckNamesTheCopyInItsPodInTheCheckNamespace() {
        var run = deploy(fromConfig("allNamespaces", "true", "serviceAccounts", "[]", "verifyImage", IMAGE));

        var job = run.ofType(JOB).get(0);
        assertEquals("registry-pull-access-check", job.input("metadata", "namespace"));
        assertEquals(List.of(Map.of("name", OURS)), job.input("spec", "template", "spec", "imagePullSecrets"));
        assertEquals("default", job.input("spec", "template", "spec", "serviceAccountName"));
        assertTrue(job.dependencies().contains(policy(run, COPY_POLICY).urn()));
        assertEquals(List.of(), run.ofType(LIVE_SERVICE_ACCOUNT), "no ServiceAccount is created for the check");
    }

    @Test
    void fromListedInServiceAccountsToPerPodTakesOurEntryOutKeepingOthersThenLeavesTheServiceAccountsAlone() {
        var namespaces = new String[] {"namespaces", "[\"team-a\",\"team-b\"]"};
        var cluster = new Cluster(Map.of("team-a/default", List.of("team-b-creds"), "team-a/builder", List.of()));

        var patched = cluster.run(settings(namespaces, "serviceAccounts", "[\"default\",\"builder\"]"));
        cluster = cluster.after(patched);
        assertEquals(List.of("team-b-creds", OURS), cluster.serviceAccounts().get("team-a/default"));
        assertEquals(List.of(OURS), cluster.serviceAccounts().get("team-b/builder"));

        // Step 1: pods name the Secret; the ServiceAccounts the stack patched are still patched, without our entry.
        var detaching = cluster.run(
                settings(namespaces, "serviceAccounts", "[]", "detachServiceAccounts", "[\"default\",\"builder\"]"));
        assertEquals(
                urns(patched.ofType(PATCH)),
                urns(detaching.ofType(PATCH)),
                "the same patches are updated, not replaced");
        assertEquals(urns(patched.ofType(SECRET)), urns(detaching.ofType(SECRET)), "the Secrets stay throughout");
        cluster = cluster.after(detaching);

        // Step 2: the patches leave the stack, retained; nothing changes in the cluster.
        var perPod = cluster.run(settings(namespaces, "serviceAccounts", "[]"));
        assertEquals(List.of(), perPod.ofType(PATCH));
        assertEquals(urns(patched.ofType(SECRET)), urns(perPod.ofType(SECRET)));
        cluster = cluster.after(perPod);

        assertEquals(
                Map.of(
                        "team-a/default",
                        List.of("team-b-creds"),
                        "team-a/builder",
                        List.of(),
                        "team-b/default",
                        List.of(),
                        "team-b/builder",
                        List.of()),
                cluster.serviceAccounts());
    }

    @Test
    void skippingTheDetachStepLeavesOurEntryInTheServiceAccountsWhichIsWhyTheDocsSayDetachFirst() {
        var cluster = new Cluster(Map.of("default/default", List.of("team-b-creds")));

        cluster = cluster.after(cluster.run(fromConfig()));
        cluster = cluster.after(cluster.run(fromConfig("serviceAccounts", "[]")));

        assertEquals(
                List.of("team-b-creds", OURS),
                cluster.serviceAccounts().get("default/default"),
                "a dropped patch is retained as it was: the program cannot know what it patched before");
    }

    @Test
    void fromPerPodToListedInServiceAccountsAddsOurEntryKeepingOthers() {
        for (var mode : List.of(new String[] {}, TOKEN)) {
            var cluster = new Cluster(Map.of("team-a/default", List.of("team-b-creds")));

            var perPod = cluster.run(settings(mode, "namespaces", "[\"team-a\"]", "serviceAccounts", "[]"));
            assertEquals(List.of(), perPod.ofType(PATCH));
            cluster = cluster.after(perPod);

            cluster = cluster.after(cluster.run(settings(mode, "namespaces", "[\"team-a\"]")));
            assertEquals(
                    List.of("team-b-creds", OURS), cluster.serviceAccounts().get("team-a/default"));
        }
    }

    @Test
    void inTokenModeTheDetachStepWorksAsWithAKey() {
        var cluster = new Cluster(Map.of("team-a/default", List.of("team-b-creds", OURS)));

        var detaching = cluster.run(settings(
                TOKEN,
                "namespaces",
                "[\"team-a\"]",
                "serviceAccounts",
                "[]",
                "detachServiceAccounts",
                "[\"default\"]"));

        assertEquals(
                List.of("team-b-creds"),
                cluster.after(detaching).serviceAccounts().get("team-a/default"));
        assertEquals(
                List.of("team-a"),
                detaching.ofType(EXTERNAL_SECRET).stream()
                        .map(secret -> secret.input("metadata", "namespace"))
                        .filter(namespace -> !"registry-pull-access".equals(namespace))
                        .toList(),
                "the token Secret stays");
    }

    @Test
    void clusterWideFromListingToPerPodKeepsTheCopiesAndHasKyvernoRemoveOnlyOurEntries() {
        var listing = deploy(fromConfig(
                "allNamespaces", "true", "serviceAccounts", "[\"default\",\"builder\"]", "verifyImage", IMAGE));

        // Step 1: the ServiceAccount policy, updated in place, only takes our entry out of the same ServiceAccounts.
        var detaching = deploy(fromConfig(
                "allNamespaces",
                "true",
                "serviceAccounts",
                "[]",
                "detachServiceAccounts",
                "[\"default\",\"builder\"]",
                "verifyImage",
                IMAGE));
        var copy = policy(listing, COPY_POLICY);
        assertEquals(copy.urn(), policy(detaching, COPY_POLICY).urn());
        assertEquals(
                copy.input("spec"),
                policy(detaching, COPY_POLICY).input("spec"),
                "an unchanged copy policy is not replaced, so no copy is deleted");
        var entries = policy(detaching, ENTRIES_POLICY);
        assertEquals(policy(listing, ENTRIES_POLICY).urn(), entries.urn());
        assertEquals(List.of(KyvernoPolicies.REMOVE_RULE), ruleNames(entries));
        assertEquals(
                List.of("default", "builder"),
                ClusterWideCoverageTest.at(rules(entries).get(0), "match", "any", 0, "resources", "names"));

        // Step 2: with the entries gone, the policy goes; Kyverno reverts nothing, and there is nothing to revert.
        var perPod = deploy(fromConfig("allNamespaces", "true", "serviceAccounts", "[]", "verifyImage", IMAGE));
        assertFalse(hasPolicy(perPod, ENTRIES_POLICY));
        assertEquals(copy.input("spec"), policy(perPod, COPY_POLICY).input("spec"));
    }

    @Test
    void thePoliciesOnTheWayToPerPodFitThePinnedKyvernoClusterPolicySchema() {
        var runs = List.of(
                deploy(fromConfig(
                        "allNamespaces",
                        "true",
                        "serviceAccounts",
                        "[]",
                        "detachServiceAccounts",
                        "[\"default\",\"builder\"]",
                        "verifyImage",
                        IMAGE)),
                deploy(fromConfig("allNamespaces", "true", "serviceAccounts", "[]", "verifyImage", IMAGE)));
        // Guards the loop: with no policy declared it would check nothing and pass.
        assertFalse(runs.stream().anyMatch(run -> run.ofType(POLICY).isEmpty()), "every run declares policies");
        for (var run : runs) {
            for (var policy : run.ofType(POLICY)) {
                assertEquals(
                        List.of(),
                        CrdSchema.problems("kyverno.io_clusterpolicies", ClusterWideCoverageTest.object(policy)),
                        policy.name());
            }
        }
    }

    @Test
    void clusterWideFromPerPodToListingHasKyvernoAddOurEntry() {
        var perPod = deploy(fromConfig("allNamespaces", "true", "serviceAccounts", "[]", "verifyImage", IMAGE));
        var listing = deploy(fromConfig("allNamespaces", "true", "verifyImage", IMAGE));

        assertEquals(
                policy(perPod, COPY_POLICY).input("spec"),
                policy(listing, COPY_POLICY).input("spec"));
        assertEquals(
                List.of(KyvernoPolicies.ADD_ON_CREATE_RULE, KyvernoPolicies.ADD_TO_EXISTING_RULE),
                ruleNames(policy(listing, ENTRIES_POLICY)));
    }

    @Test
    void clusterWideDetachStillHasKyvernoDeleteTheCopiesBeforeADestroy() {
        var run = deploy(
                fromConfig("allNamespaces", "true", "serviceAccounts", "[]", "detach", "true", "verifyImage", IMAGE));

        assertFalse(hasPolicy(run, COPY_POLICY));
        assertFalse(hasPolicy(run, ENTRIES_POLICY));
        assertEquals(List.of(), run.ofType(JOB), "nothing to check once detached");
    }
}
