package registrypullaccess.access;

import com.pulumi.test.Mocks;
import org.junit.jupiter.api.Test;
import registrypullaccess.App;
import registrypullaccess.CrdSchema;
import registrypullaccess.Fixtures;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.settings.Settings;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.TODAY;
import static registrypullaccess.Fixtures.fromConfig;

/**
 * What the second of two updates does with the record the first left on the {@code default} Namespace: which Secrets
 * (and owners) it releases, what it refuses, and what it records.
 */
class SwitchGuardTest {

    private static final String LISTED = "[\"team-a\",\"team-b\"]";
    private static final String GKE = "projects/acme-dev/locations/europe-west1/clusters/dev";
    private static final String NAMESPACE_PATCH = "kubernetes:core/v1:NamespacePatch";

    private static OfflineRun run(FakeGoogleCloud cloud, Settings settings) {
        return OfflineRun.run(cloud, Map.of(), Set.of(), ctx -> App.declare(ctx, settings, TODAY));
    }

    /** Settings with the pull check, which an update that has Kyverno cover namespaces for the first time needs. */
    private static Settings checked(String... keysAndValues) {
        var keys = new java.util.ArrayList<>(List.of("verifyImage", Fixtures.CHECK_IMAGE));
        keys.addAll(List.of(keysAndValues));
        return fromConfig(keys.toArray(String[]::new));
    }

    /** The annotations the run's patches put on the {@code default} Namespace, as the next run reads them. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> recorded(OfflineRun run) {
        var annotations = new HashMap<String, String>();
        run.ofType(NAMESPACE_PATCH)
                .forEach(patch -> annotations.putAll((Map<String, String>) patch.input("metadata", "annotations")));
        annotations.remove(ServiceAccountPatches.PATCH_FORCE_ANNOTATION);
        return annotations;
    }

    /** The cluster after {@code first}, its Namespaces otherwise labelled as given. */
    private static FakeGoogleCloud after(OfflineRun first, Map<String, Map<String, String>> labels) {
        var namespaces = new HashMap<String, FakeGoogleCloud.LiveNamespace>();
        labels.forEach((name, its) -> namespaces.put(name, new FakeGoogleCloud.LiveNamespace(its, Map.of())));
        namespaces.put("default", new FakeGoogleCloud.LiveNamespace(Map.of(), recorded(first)));
        return new FakeGoogleCloud().withNamespaces(namespaces);
    }

    private static OfflineRun then(Settings first, Settings second) {
        var deployed = run(new FakeGoogleCloud(), first);
        assertEquals(List.of(), deployed.exceptions());
        return run(after(deployed, Map.of()), second);
    }

    private static List<String> reads(OfflineRun run, String type) {
        return run.reads().stream()
                .filter(read -> read.type().equals(type))
                .map(DeclaredResource.Read::id)
                .toList();
    }

    private static List<String> released(OfflineRun run) {
        return reads(run, "kubernetes:core/v1:Secret");
    }

    @Test
    void aFirstUpdateReadsTheRecordAndReleasesNothing() {
        var run = run(new FakeGoogleCloud(), checked("allNamespaces", "true"));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of("default"), reads(run, "kubernetes:core/v1:Namespace"));
        assertEquals(List.of(), released(run));
    }

    @Test
    void listedKeyToClusterWideReleasesEachSecretAndItsOwnerWhereKyvernoCopies() {
        var run = then(
                fromConfig("namespaces", LISTED),
                checked("allNamespaces", "true", "excludeNamespaces", "[\"team-b\"]"));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of("team-a/registry-pull-secret"), released(run));
        assertEquals(List.of("team-a/registry-pull-secret-owner"), reads(run, "kubernetes:core/v1:ConfigMap"));
        // Released under the names they had: the engine forgets them instead of deleting them.
        var secret = run.reads().stream()
                .filter(read -> read.id().equals("team-a/registry-pull-secret"))
                .findFirst()
                .orElseThrow();
        assertTrue(secret.urn().endsWith("::pull-access/team-a/pull-secret"), secret.urn());
        var owner = run.reads().stream()
                .filter(read -> read.id().equals("team-a/registry-pull-secret-owner"))
                .findFirst()
                .orElseThrow();
        assertTrue(owner.urn().endsWith("::pull-access/team-a/pull-secret-owner"), owner.urn());
    }

    @Test
    void listedKeyToTokenReleasesEveryListedSecretToEso() {
        var run = then(
                fromConfig("namespaces", LISTED),
                fromConfig("namespaces", LISTED, "credentials", "token", "gkeCluster", GKE));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of("team-a/registry-pull-secret", "team-b/registry-pull-secret"), released(run));
    }

    @Test
    void theListedHomeNamespacesSecretIsKeptAsTheSourceNotReleased() {
        var run = then(fromConfig("namespaces", LISTED), checked("allNamespaces", "true", "homeNamespace", "team-a"));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of("team-b/registry-pull-secret"), released(run));
        assertTrue(
                run.ofType("kubernetes:core/v1:Secret").stream()
                        .anyMatch(secret -> secret.name().equals("pull-access/team-a/pull-secret")),
                run.resources().toString());
    }

    @Test
    void aTokenSourceInTheListedHomeNamespaceTakesItsSecretOverToo() {
        var run = then(
                fromConfig("namespaces", LISTED),
                checked("allNamespaces", "true", "homeNamespace", "team-a", "credentials", "token", "gkeCluster", GKE));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of("team-a/registry-pull-secret", "team-b/registry-pull-secret"), released(run));
    }

    @Test
    void withASelectorOnlyTheNamespacesWhoseLabelsMatchAreReleased() {
        var deployed = run(new FakeGoogleCloud(), fromConfig("namespaces", LISTED));
        var cloud = after(deployed, Map.of("team-a", Map.of("team", "payments"), "team-b", Map.of("team", "other")));

        var run = run(cloud, checked("namespaceSelector", "{\"team\":\"payments\"}"));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of("default", "team-a", "team-b"), reads(run, "kubernetes:core/v1:Namespace"));
        assertEquals(List.of("team-a/registry-pull-secret"), released(run));
    }

    @Test
    void nothingIsReleasedWhenTheNameChanges() {
        var run = then(fromConfig("namespaces", LISTED), checked("allNamespaces", "true", "secretName", "team-pull"));

        assertEquals(List.of(), run.exceptions());
        assertEquals(List.of(), released(run));
    }

    @Test
    void aRefusedSwitchFailsTheRunWithTheWayThatIsSafeAndRecordsNothing() {
        var run = then(
                fromConfig("namespaces", LISTED, "credentials", "token", "gkeCluster", GKE),
                fromConfig("namespaces", LISTED));

        var message = run.failure().orElseThrow().getMessage();
        assertTrue(message.contains("External Secrets Operator owns Secret registry-pull-secret"), message);
        assertTrue(
                message.contains("pulumi config set registry-pull-access:secretName registry-pull-secret-2"), message);
    }

    /**
     * A refusal must stop the update, not only its preview: automation (the Automation API, pulumi/actions, `pulumi up
     * --skip-preview`) runs the update without one, and there every resource registered before the program fails is
     * created, updated or replaced. The record's read is slowed down, as a real one takes a round trip to the cluster
     * while a registration that waits for nothing goes out at once.
     */
    @Test
    void aRefusedSwitchRegistersNoResourceButTheReadsThatDecideIt() {
        assertRegistersNothing(
                fromConfig("namespaces", LISTED, "credentials", "token", "gkeCluster", GKE),
                fromConfig("namespaces", LISTED),
                "External Secrets Operator owns Secret");
    }

    /** The same for what cluster-wide declares: the chart, the source, the policies, the check's namespace and Job. */
    @Test
    void aRefusedSwitchToClusterWideRegistersNoneOfItsResourcesEither() {
        assertRegistersNothing(
                checked("allNamespaces", "true", "credentials", "token", "gkeCluster", GKE),
                fromConfig(
                        "allNamespaces", "true", "installKyverno", "true", "verifyImage", "eu.gcr.io/acme-dev/app:1.0"),
                "External Secrets Operator owns Secret");
    }

    private static void assertRegistersNothing(Settings first, Settings second, String refusal) {
        var deployed = run(new FakeGoogleCloud(), first);
        assertEquals(List.of(), deployed.exceptions());
        var cluster = after(deployed, Map.of());
        var slowReads = new Mocks() {
            @Override
            public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
                var result = cluster.newResourceAsync(args);
                return args.id == null || args.id.isEmpty()
                        ? result
                        : result.thenApplyAsync(read -> read, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
            }

            @Override
            public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
                return cluster.callAsync(args);
            }
        };

        var run = OfflineRun.run(slowReads, false, Map.of(), Set.of(), ctx -> App.declare(ctx, second, TODAY));

        var message = run.failure().orElseThrow().getMessage();
        assertTrue(message.contains(refusal), message);
        assertEquals(
                List.of("pulumi:pulumi:Stack", PullAccess.TYPE),
                run.resources().stream().map(DeclaredResource::type).distinct().toList());
    }

    @Test
    void theRecordSaysWhatWasDeployedAndTheReleasesInstalled() {
        var run = run(
                new FakeGoogleCloud(),
                checked(
                        "allNamespaces",
                        "true",
                        "installKyverno",
                        "true",
                        "credentials",
                        "token",
                        "gkeCluster",
                        GKE,
                        "installExternalSecrets",
                        "true",
                        "excludeNamespaces",
                        "[\"team-c\"]"));

        assertEquals(List.of(), run.exceptions());
        var annotations = recorded(run);
        var shape = annotations.entrySet().stream()
                .filter(annotation -> annotation.getKey().startsWith(DeploymentMarker.ANNOTATION_PREFIX))
                .map(annotation -> DeployedShape.parse(annotation.getValue()).orElseThrow())
                .findFirst()
                .orElseThrow();
        assertEquals(DeployedShape.TOKEN, shape.credentials());
        assertTrue(shape.clusterWide());
        assertTrue(shape.excluded().contains("team-c"), shape.excluded().toString());
        assertEquals("registry-pull-secret", shape.secretName());
        assertFalse(shape.detach());
        assertEquals(List.of(PinnedChart.KYVERNO.id(), PinnedChart.EXTERNAL_SECRETS.id()), shape.releases());
        assertEquals(
                PinnedChart.KYVERNO.id(),
                annotations.get(DeploymentMarker.releaseAnnotation(PinnedChart.KYVERNO.id())));
        assertEquals(
                PinnedChart.EXTERNAL_SECRETS.id(),
                annotations.get(DeploymentMarker.releaseAnnotation(PinnedChart.EXTERNAL_SECRETS.id())));
    }

    @Test
    void theRecordOfAListedStackNamesItsNamespacesAndNoRelease() {
        var run = run(new FakeGoogleCloud(), fromConfig("namespaces", LISTED, "serviceAccounts", "[]"));

        var shape =
                DeployedShape.parse(recorded(run).values().iterator().next()).orElseThrow();
        assertEquals(DeployedShape.KEY, shape.credentials());
        assertFalse(shape.clusterWide());
        assertEquals(List.of("team-a", "team-b"), shape.namespaces());
        assertTrue(shape.podsNameSecret());
        assertEquals(List.of(), shape.releases());
    }

    @Test
    void theRecordNamesTheServiceAccountsThatListTheSecret() {
        var listed = run(
                new FakeGoogleCloud(),
                fromConfig("namespaces", LISTED, "serviceAccounts", "[\"default\",\"builder\"]"));
        var wide = run(new FakeGoogleCloud(), checked("allNamespaces", "true"));
        var perPod = run(new FakeGoogleCloud(), fromConfig("namespaces", LISTED, "serviceAccounts", "[]"));

        assertEquals(List.of("default", "builder"), recordedShape(listed).serviceAccounts());
        assertEquals(List.of("default"), recordedShape(wide).serviceAccounts());
        assertEquals(List.of(), recordedShape(perPod).serviceAccounts());
    }

    @Test
    void clusterWideAFormerNameKyvernoListedComesOutOfTheServiceAccountsOneUpdateAfterTheRename() {
        var renamed = checked("allNamespaces", "true", "secretName", "team-pull");
        var rename = then(checked("allNamespaces", "true"), renamed);

        assertEquals(List.of(), rename.exceptions());
        assertEquals(
                List.of("team-pull", "registry-pull-secret"),
                recordedShape(rename).pullSecrets());
        assertEquals(
                List.of(KyvernoPolicies.ADD_ON_CREATE_RULE, KyvernoPolicies.ADD_TO_EXISTING_RULE),
                ruleNames(entriesPolicy(rename)),
                "pods admitted before Kyverno copies the new Secret pull with the former entry until the update ends");

        var next = run(after(rename, Map.of()), renamed);
        var remove = ClusterWideCoverageTest.rules(entriesPolicy(next)).get(2);
        assertEquals(KyvernoPolicies.REMOVE_FORMER_RULE + 1, remove.get("name"));
        assertEquals(
                List.of(Map.of("key", "{{element.name}}", "operator", "Equals", "value", "registry-pull-secret")),
                ClusterWideCoverageTest.at(remove, "mutate", "foreach", 0, "preconditions", "all"),
                "only the former entry of ours");
        assertEquals(List.of("team-pull"), recordedShape(next).pullSecrets(), "taken out: the next update drops it");
        assertEquals(
                List.of(),
                CrdSchema.problems("kyverno.io_clusterpolicies", ClusterWideCoverageTest.object(entriesPolicy(next))));
    }

    @Test
    void fromASelectorToListedUnderANewNameKyvernosEntryIsKeptWhereTheNamespaceMatchesIt() {
        var wide = run(new FakeGoogleCloud(), checked("namespaceSelector", "{\"team\":\"payments\"}"));
        var cluster = after(wide, Map.of("team-a", Map.of("team", "payments"), "team-b", Map.of("team", "web")));

        var listed = run(cluster, fromConfig("namespaces", LISTED, "secretName", "team-pull"));

        assertEquals(List.of(), listed.exceptions());
        assertEquals(
                List.of("team-pull", "registry-pull-secret"),
                recordedShape(listed).pullSecrets());
        assertEquals(
                List.of("team-a"),
                recordedShape(listed).keptIn(),
                "team-b's entry of that name is not Kyverno's: its labels do not match the selector");
    }

    private static DeclaredResource entriesPolicy(OfflineRun run) {
        return run.ofType(ClusterWideCoverageTest.POLICY).stream()
                .filter(policy -> policy.input("metadata", "name").toString().endsWith("-entries"))
                .findFirst()
                .orElseThrow();
    }

    private static List<Object> ruleNames(DeclaredResource policy) {
        return ClusterWideCoverageTest.rules(policy).stream()
                .map(rule -> rule.get("name"))
                .toList();
    }

    private static DeployedShape recordedShape(OfflineRun run) {
        return DeployedShape.parse(recorded(run).values().iterator().next()).orElseThrow();
    }

    @Test
    void aReleaseThatIsThereAlreadyIsRefusedWithTheKeyThatUsesIt() {
        var cloud = new FakeGoogleCloud()
                .withNamespaces(Map.of(
                        "default",
                        new FakeGoogleCloud.LiveNamespace(
                                Map.of(),
                                Map.of(
                                        DeploymentMarker.releaseAnnotation(PinnedChart.KYVERNO.id()),
                                        PinnedChart.KYVERNO.id()))));

        var run = run(cloud, checked("allNamespaces", "true", "installKyverno", "true"));

        var message = run.failure().orElseThrow().getMessage();
        assertTrue(message.contains("`pulumi config set registry-pull-access:installKyverno false`"), message);
        // The same cluster without that stack's release: no refusal.
        assertEquals(List.of(), run(cloud, checked("allNamespaces", "true")).exceptions());
    }

    @Test
    void aRecordOverItsShareOfTheDefaultNamespacesAnnotationsIsRefusedBeforeAnythingIsDeclared() {
        // 1,200 random names of 63 characters: their record, compressed, is over the 64 KiB one stack may take.
        var random = new java.util.Random(21);
        var names = new java.util.ArrayList<String>();
        while (names.size() < 1200) {
            var name = new StringBuilder("n");
            while (name.length() < 63) {
                name.append((char) ('a' + random.nextInt(26)));
            }
            names.add("\"" + name + "\"");
        }

        var run = run(new FakeGoogleCloud(), fromConfig("namespaces", "[" + String.join(",", names) + "]"));

        var message = run.failure().orElseThrow().getMessage();
        assertTrue(message.contains("more than the 65536 one stack may take"), message);
        assertEquals(
                List.of("pulumi:pulumi:Stack", PullAccess.TYPE),
                run.resources().stream().map(DeclaredResource::type).distinct().toList());
    }

    @Test
    void aFirstClusterWideUpdateWithoutThePullCheckIsRefusedNamingTheCheck() {
        var run = run(new FakeGoogleCloud(), fromConfig("allNamespaces", "true"));

        var message = run.failure().orElseThrow().getMessage();
        assertTrue(message.contains("into namespaces it did not cover before (from nothing"), message);
        assertTrue(message.contains("`pulumi config set registry-pull-access:verifyImage <image>`"), message);
        assertEquals(
                List.of(),
                run(new FakeGoogleCloud(), checked("allNamespaces", "true")).exceptions());
    }

    @Test
    void fromListedOrDetachedToClusterWideWithoutThePullCheckIsRefusedButNotBetweenTwoThatCoveredTheSame() {
        var fromListed = then(fromConfig("namespaces", LISTED), fromConfig("allNamespaces", "true"));
        var fromDetached =
                then(checked("allNamespaces", "true", "detach", "true"), fromConfig("allNamespaces", "true"));

        var listedMessage = fromListed.failure().orElseThrow().getMessage();
        assertTrue(listedMessage.contains("(from key credentials, listed namespaces)"), listedMessage);
        var detachedMessage = fromDetached.failure().orElseThrow().getMessage();
        assertTrue(detachedMessage.contains("(from key credentials, cluster-wide, detached)"), detachedMessage);
        assertEquals(
                List.of(),
                then(checked("allNamespaces", "true"), fromConfig("allNamespaces", "true"))
                        .exceptions(),
                "the check may go once the namespaces are covered");
    }

    /** The refusals a run's message names, one a line, in order. */
    private static List<String> refusals(OfflineRun run) {
        return run.failure()
                .orElseThrow()
                .getMessage()
                .lines()
                .filter(line -> line.startsWith("  - "))
                .toList();
    }

    /** The record of the last update, and beside it a release of the pinned chart installed by someone else. */
    private static FakeGoogleCloud withRelease(Map<String, String> record, PinnedChart chart) {
        var annotations = new HashMap<>(record);
        annotations.put(DeploymentMarker.releaseAnnotation(chart.id()), chart.id());
        return new FakeGoogleCloud()
                .withNamespaces(Map.of("default", new FakeGoogleCloud.LiveNamespace(Map.of(), annotations)));
    }

    @Test
    void aFirstCoverWithoutTheCheckAndAReleaseInUseAreNamedInOnePreviewEachWithItsWay() {
        var run = run(
                withRelease(Map.of(), PinnedChart.KYVERNO),
                fromConfig("allNamespaces", "true", "installKyverno", "true"));

        var refusals = refusals(run);
        assertEquals(2, refusals.size(), String.join("\n", refusals));
        assertTrue(refusals.get(0).contains("into namespaces it did not cover before (from nothing"), refusals.get(0));
        assertTrue(refusals.get(0).contains("`pulumi config set registry-pull-access:verifyImage <image>`"));
        assertTrue(
                refusals.get(1).contains("`pulumi config set registry-pull-access:installKyverno false`"),
                refusals.get(1));
    }

    @Test
    void aRefusedSwitchAndAReleaseInUseAreNamedInOnePreviewEachWithItsWay() {
        var deployed = run(new FakeGoogleCloud(), checked("allNamespaces", "true"));
        assertEquals(List.of(), deployed.exceptions());
        var run = run(
                withRelease(recorded(deployed), PinnedChart.EXTERNAL_SECRETS),
                fromConfig(
                        "namespaces",
                        LISTED,
                        "credentials",
                        "token",
                        "gkeCluster",
                        GKE,
                        "installExternalSecrets",
                        "true"));

        var refusals = refusals(run);
        assertEquals(2, refusals.size(), String.join("\n", refusals));
        assertTrue(
                refusals.get(0).contains("pulumi config set registry-pull-access:secretName registry-pull-secret-2"),
                refusals.get(0));
        assertTrue(
                refusals.get(1).contains("`pulumi config set registry-pull-access:installExternalSecrets false`"),
                refusals.get(1));
    }
}
