package registrypullaccess.access;

import org.junit.jupiter.api.Test;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.settings.Settings;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static registrypullaccess.Fixtures.ACCOUNT;
import static registrypullaccess.Fixtures.GRANT;
import static registrypullaccess.Fixtures.KEY;
import static registrypullaccess.Fixtures.NAMESPACE;
import static registrypullaccess.Fixtures.PATCH;
import static registrypullaccess.Fixtures.SECRET;
import static registrypullaccess.Fixtures.TODAY;
import static registrypullaccess.Fixtures.deploy;
import static registrypullaccess.Fixtures.fromConfig;
import static registrypullaccess.Fixtures.inNamespace;

/** Running the stack again and again, next to other teams, and taking it over or down. */
class LongLivedStackTest {

    static final String LIVE_SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";

    private static OfflineRun deployOn(LocalDate today, Settings settings) {
        return deploy(new FakeGoogleCloud(), settings, today);
    }

    private static Object keepers(OfflineRun run) {
        return run.ofType(KEY).get(0).input("keepers");
    }

    private static List<Object> pullSecretsOf(DeclaredResource patch) {
        return ((List<?>) patch.input("imagePullSecrets"))
                .stream()
                        .map(entry -> ((Map<?, ?>) entry).get("name"))
                        .map(Object.class::cast)
                        .toList();
    }

    @Test
    void keyRecordsItsRotationPeriodAndIsReplacedNewKeyFirst() {
        var run = deploy(fromConfig());

        var key = run.ofType(KEY).get(0);
        assertEquals(Map.of(PullerKey.KEY_PERIOD_KEEPER, "2026-09-04"), key.input("keepers"));
        assertFalse(
                key.options().deleteBeforeReplace().orElseThrow(),
                "the new key must exist before the old one is deleted");
        assertFalse(key.options().protect(), "a protected key could never be rotated");
        run.ofType(SECRET)
                .forEach(secret -> assertTrue(
                        secret.dependencies().contains(key.urn()),
                        "every Secret is updated with the new key before the old key is deleted"));
        assertEquals("2026-09-04", run.outputs().get("keyPeriodStart"));
        assertEquals("2026-12-03", run.outputs().get("nextKeyRotation"));
    }

    @Test
    void clusterWideTheKeyOfThePeriodBeforeStaysUntilTheNextRotation() {
        var listed = deploy(fromConfig()).ofType(KEY);
        var clusterWide = deploy(
                        fromConfig("allNamespaces", "true", "verifyImage", registrypullaccess.Fixtures.CHECK_IMAGE))
                .ofType(KEY);

        assertEquals(
                List.of("pull-access/key-even"),
                listed.stream().map(DeclaredResource::name).toList());
        var periods = new java.util.TreeMap<String, Object>();
        clusterWide.forEach(key -> periods.put(key.name(), key.input("keepers")));
        // 2026-09-04 starts period 230 since 1970-01-01, an even one; 2026-06-06 the one before.
        assertEquals(
                Map.of(
                        "pull-access/key-even",
                        Map.of(PullerKey.KEY_PERIOD_KEEPER, "2026-09-04"),
                        "pull-access/key-odd",
                        Map.of(PullerKey.KEY_PERIOD_KEEPER, "2026-06-06")),
                periods);
        // The current key, only, takes over the state of the single key earlier versions declared.
        for (var keys : List.of(listed, clusterWide)) {
            var current = keys.stream()
                    .filter(key -> key.name().equals("pull-access/key-even"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(List.of("pull-access/key", "pull-access-key"), current.aliasNames());
        }
        assertEquals(
                List.of(),
                clusterWide.stream()
                        .filter(key -> key.name().equals("pull-access/key-odd"))
                        .findFirst()
                        .orElseThrow()
                        .aliasNames());
    }

    @Test
    void keyStaysTheSameWithinAPeriodAndChangesAfterIt() {
        var settings = fromConfig();

        assertEquals(
                keepers(deployOn(LocalDate.of(2026, 9, 4), settings)),
                keepers(deployOn(LocalDate.of(2026, 12, 2), settings)));
        assertNotEquals(
                keepers(deployOn(LocalDate.of(2026, 12, 2), settings)),
                keepers(deployOn(LocalDate.of(2026, 12, 3), settings)));
    }

    @Test
    void rotationCanBeTurnedOff() {
        var run = deploy(fromConfig("keyRotationDays", "0"));

        assertEquals(null, keepers(run));
        assertFalse(run.outputs().containsKey("nextKeyRotation"));
    }

    @Test
    void sameInputsDeclareIdenticalResourcesOnEveryRun() {
        var settings = fromConfig("namespaces", "[\"team-a\",\"team-b\"]");

        assertEquals(
                sorted(deploy(settings).resources()), sorted(deploy(settings).resources()));
    }

    @Test
    void keepsTheEntriesOtherTeamsPutInTheListAndAddsOurs() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-b-creds", "dockerhub")));

        var run = deploy(cluster, fromConfig("namespaces", "[\"team-a\",\"team-c\"]"), TODAY);

        var patches = run.ofType(PATCH);
        assertEquals(
                List.of("team-b-creds", "dockerhub", "registry-pull-secret"),
                pullSecretsOf(inNamespace(patches, "team-a")));
        assertEquals(List.of("registry-pull-secret"), pullSecretsOf(inNamespace(patches, "team-c")));
        for (var patch : patches) {
            assertEquals("true", patch.input("metadata", "annotations", ServiceAccountPatches.PATCH_FORCE_ANNOTATION));
            assertTrue(
                    patch.options().retainOnDelete(),
                    "deleting the patch would relinquish the whole list, other teams' entries included");
        }
    }

    @Test
    void appliesEachListOnlyIfTheServiceAccountIsStillAtTheVersionItWasReadAt() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-b-creds")))
                .withResourceVersions(Map.of("team-a/default", "4711", "team-c/default", "815"));

        var patches = deploy(cluster, fromConfig("namespaces", "[\"team-a\",\"team-c\"]"), TODAY)
                .ofType(PATCH);

        // A write in between (another stack, a controller) makes the apply fail instead of being overwritten.
        assertEquals("4711", inNamespace(patches, "team-a").input("metadata", "resourceVersion"));
        assertEquals("815", inNamespace(patches, "team-c").input("metadata", "resourceVersion"));
    }

    @Test
    void doesNotListOurSecretTwiceWhenAnEarlierRunAddedIt() {
        var cluster = new FakeGoogleCloud(Map.of("default/default", List.of("registry-pull-secret", "team-b-creds")));

        var patch = deploy(cluster, fromConfig(), TODAY).ofType(PATCH).get(0);

        assertEquals(List.of("team-b-creds", "registry-pull-secret"), pullSecretsOf(patch));
    }

    @Test
    void detachingTakesOnlyOurSecretOutOfTheList() {
        var cluster = new FakeGoogleCloud(Map.of("default/default", List.of("team-b-creds", "registry-pull-secret")));

        var patch = deploy(cluster, fromConfig("detach", "true"), TODAY)
                .ofType(PATCH)
                .get(0);

        assertEquals(List.of("team-b-creds"), pullSecretsOf(patch));
    }

    @Test
    void patchesEveryNamedServiceAccountInEveryNamespace() {
        var run = deploy(
                fromConfig("namespaces", "[\"team-a\",\"team-b\"]", "serviceAccounts", "[\"default\",\"builder\"]"));

        var targets = Set.copyOf(run.ofType(PATCH).stream()
                .map(p -> p.input("metadata", "namespace") + "/" + p.input("metadata", "name"))
                .toList());
        assertEquals(Set.of("team-a/default", "team-a/builder", "team-b/default", "team-b/builder"), targets);
    }

    @Test
    void expectsNamespacesToExistUnlessAskedToCreateThem() {
        assertEquals(List.of(), deploy(fromConfig()).ofType(NAMESPACE));
    }

    @Test
    void createsNamespacesBeforeWhatLivesInThem() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("left-over")));

        var run = deploy(cluster, fromConfig("namespaces", "[\"team-a\"]", "createNamespaces", "true"), TODAY);

        var namespace = run.ofType(NAMESPACE).get(0);
        assertEquals("team-a", namespace.input("metadata", "name"));
        assertTrue(run.ofType(SECRET).get(0).dependencies().contains(namespace.urn()));
        assertTrue(run.ofType(PATCH).get(0).dependencies().contains(namespace.urn()));
    }

    @Test
    void keepsOtherTeamsEntriesInNamespacesItIsAskedToCreateThatAlreadyExist() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-b-creds")));

        var run = deploy(cluster, fromConfig("namespaces", "[\"team-a\"]", "createNamespaces", "true"), TODAY);

        assertEquals(
                List.of("team-b-creds", "registry-pull-secret"),
                pullSecretsOf(run.ofType(PATCH).get(0)),
                "a namespace that exists (created by an earlier run, or by someone else) is read, and kept");
    }

    @Test
    void detachingKeepsOtherTeamsEntriesInNamespacesItCreated() {
        var cluster = new FakeGoogleCloud(Map.of("team-a/default", List.of("team-b-creds", "registry-pull-secret")));

        var run = deploy(
                cluster, fromConfig("namespaces", "[\"team-a\"]", "createNamespaces", "true", "detach", "true"), TODAY);

        assertEquals(List.of("team-b-creds"), pullSecretsOf(run.ofType(PATCH).get(0)));
    }

    @Test
    void readsTheServiceAccountOfANamespaceItCreatesOnlyOnceTheNamespaceExists() {
        var cluster = FakeGoogleCloud.inPreview(Map.of("team-a/default", List.of("team-b-creds")));

        var run = OfflineRun.run(
                cluster,
                Map.of(),
                Set.of(),
                ctx -> registrypullaccess.App.declare(
                        ctx, fromConfig("namespaces", "[\"team-a\",\"team-b\"]", "createNamespaces", "true"), TODAY));

        assertEquals(List.of(), run.exceptions());
        assertEquals(
                List.of(),
                run.ofType(LIVE_SERVICE_ACCOUNT),
                "a namespace not created yet has no ServiceAccount to read, and none may be registered in its place");
        assertEquals(List.of(), cluster.readIds(), "nothing is read before the namespace exists");
        assertEquals(2, run.ofType(PATCH).size());
    }

    @Test
    void adoptingImportsTheHandMadeServiceAccountSecretsAndNamespaces() {
        var run = deploy(fromConfig("namespaces", "[\"team-a\"]", "adopt", "true", "createNamespaces", "true"));

        var account = run.ofType(ACCOUNT).get(0).options();
        assertEquals(
                Optional.of("projects/acme-dev/serviceAccounts/image-puller@acme-dev.iam.gserviceaccount.com"),
                account.importId());
        assertEquals(List.of("displayName", "description"), account.ignoreChanges());
        assertEquals(
                Optional.of("team-a/registry-pull-secret"),
                run.ofType(SECRET).get(0).options().importId());
        assertEquals(
                Optional.of("team-a"), run.ofType(NAMESPACE).get(0).options().importId());
        assertEquals(
                Optional.empty(),
                run.ofType(KEY).get(0).options().importId(),
                "a key's private half cannot be read back: adoption makes a new key");
    }

    @Test
    void afterAdoptionTheSecretMadeByKubectlCreateTakesTheNewKey() {
        // Step 4 of the documented adoption: adopt off, `pulumi up` writes the new key into the hand-made Secret.
        var cluster = new FakeGoogleCloud().withSecretsMadeByKubectlCreate(Set.of("team-a/registry-pull-secret"));

        var run = deploy(cluster, fromConfig("namespaces", "[\"team-a\"]"), TODAY);

        assertEquals(1, run.ofType(SECRET).size());
    }

    @Test
    void neverDeletesANamespaceItAdoptedNotEvenAfterAdoptIsTurnedOff() {
        var adopting = deploy(fromConfig("namespaces", "[\"team-a\"]", "adopt", "true", "createNamespaces", "true"));
        var later = deploy(fromConfig("namespaces", "[\"team-a\"]", "createNamespaces", "true"));

        assertTrue(
                adopting.ofType(NAMESPACE).get(0).options().retainOnDelete(),
                "pulumi destroy must not delete a namespace this stack did not create, with everything in it");
        assertTrue(
                later.ofType(NAMESPACE).get(0).options().retainOnDelete(),
                "the program cannot tell an adopted namespace from one it created: a later run must not flip it");
    }

    @Test
    void importsNothingUnlessAdopting() {
        assertTrue(deploy(fromConfig()).resources().stream()
                .allMatch(r -> r.options().importId().isEmpty()));
    }

    @Test
    void protectsTheServiceAccountAndGrantsWhenAsked() {
        var run = deploy(fromConfig("protect", "true"));

        assertTrue(run.ofType(ACCOUNT).get(0).options().protect());
        assertTrue(run.ofType(GRANT).get(0).options().protect());
        assertFalse(run.ofType(KEY).get(0).options().protect());
        assertFalse(deploy(fromConfig()).ofType(ACCOUNT).get(0).options().protect());
    }

    private static List<DeclaredResource> sorted(List<DeclaredResource> resources) {
        return resources.stream()
                .sorted(Comparator.comparing(DeclaredResource::urn))
                .toList();
    }
}
