package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.OutsideMutationTesting;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real program on the model: what the matrix measures, for a few transitions. */
@OutsideMutationTesting
class TransitionTest {

    private final Transition.Programs programs = new Transition.Programs();

    private Transition.Outcome run(Configuration from, Configuration to, ModelEngine.Misorder misorder) {
        return Transition.run(
                programs, Optional.of(from), Transition.TODAY, Optional.of(to), Transition.TODAY, misorder);
    }

    @Test
    void anUnchangedStackOnlyReappliesItsPatchesWithTheVersionsTheyReadAndNothingBreaks() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.KEY_LISTED, ModelEngine.Misorder.NONE);

        assertTrue(
                outcome.steps().stream()
                        .allMatch(step -> step.op().equals("same")
                                || (step.op().equals("update") && step.type().equals(ModelProvider.PATCH))),
                outcome.steps().toString());
        assertEquals(0, outcome.windows().size());
        assertEquals(List.of(), outcome.foreign());
        assertEquals(Optional.empty(), outcome.refusal());
    }

    @Test
    void aNewSecretNameTakesTheFormerEntryOfOursOutOfEveryServiceAccountWithoutAWindow() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.KEY_LISTED_SECRET_NAME, ModelEngine.Misorder.NONE);

        // Before: the former name's entry stayed in team-a's and team-b's default, naming the Secret the update
        // deleted.
        assertPassesCleanly(outcome);
    }

    @Test
    void theDocumentedTokenToKeyRecipeTakesTheTokenSecretsEntryOutWithoutAWindow() {
        // Under the same name it is refused (ESO owns the Secret); the refusal names a new secretName.
        var outcome = run(
                configuration("token listed, ghcr.io"),
                Configurations.KEY_LISTED_SECRET_NAME,
                ModelEngine.Misorder.NONE);

        assertPassesCleanly(outcome);
    }

    @Test
    void aRenameIntoTokenModeKeepsTheFormerEntryWhichOnlyEsoCouldReplaceAfterThePatch() {
        var outcome =
                run(Configurations.KEY_LISTED_SECRET_NAME, Configurations.TOKEN_LISTED, ModelEngine.Misorder.NONE);

        // ESO writes the new token Secret only after the patch (the copy waits for it): taking team-pull out in the
        // patch would leave pods admitted until ESO's sync only a name with no Secret. The former entry stays.
        assertEquals(List.of(), outcome.windows());
        assertEquals(List.of("team-a/default: team-pull", "team-b/default: team-pull"), outcome.dangling());
    }

    @Test
    void theUpdateAfterARenameIntoTokenModeTakesTheFormerEntryOutOnceEsoHasWrittenTheNewSecret() {
        var outcome = Transition.afterEarlier(
                programs,
                List.of(Configurations.KEY_LISTED_SECRET_NAME),
                Configurations.TOKEN_LISTED,
                Configurations.TOKEN_LISTED);

        // The record of the rename carried team-pull on as an entry of ours left in the ServiceAccounts.
        assertPassesCleanly(outcome);
    }

    @Test
    void keyToTokenReleasesTheOldSecretAndItsOwnerToEsoInsteadOfDeletingThem() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.TOKEN_LISTED, ModelEngine.Misorder.NONE);

        // Deleted after the program, the Secret was by then ESO's: a window until ESO wrote it again. Its owner
        // ConfigMap deleted would have the garbage collector take it, unless ESO's owner reference came first.
        assertEquals(List.of(), outcome.windows());
        var steps = outcome.steps().stream().map(ModelEngine.Step::toString).toList();
        assertTrue(steps.contains("read pull-access/team-a/pull-secret"), steps.toString());
        assertTrue(steps.contains("read pull-access/team-a/pull-secret-owner"), steps.toString());
        assertTrue(
                steps.stream().noneMatch(step -> step.startsWith("delete pull-access/team-a/pull-secret")),
                steps.toString());
    }

    @Test
    void keyWithAnotherRegistryToTokenListsItsSecretBeforeEsoTakesTheKeySecretOver() {
        var outcome = run(
                configuration("key listed, ghcr.io"),
                configuration("token listed, ghcr.io"),
                ModelEngine.Misorder.NONE);

        // ESO's first sync of the copy replaces all the data of the key Secret, ghcr.io's entry with it: by then the
        // ServiceAccounts list the Secret of the other registries too (before: 0 s windows, the patch one step late).
        assertEquals(List.of(), outcome.windows());
        var steps = outcome.steps().stream().map(ModelEngine.Step::toString).toList();
        assertTrue(
                steps.indexOf("update pull-access/team-a/default/sa")
                        < steps.indexOf("create pull-access/team-a/external-secret"),
                steps.toString());
    }

    @Test
    void keyToClusterWideReleasesTheListedSecretsToKyvernosCopies() {
        var outcome = run(Configurations.KEY_LISTED, checked(Configurations.KEY_WIDE), ModelEngine.Misorder.NONE);

        // The pull check holds the update until Kyverno has copied: namespaces covered for the first time too.
        assertEquals(List.of(), outcome.windows());
        assertEquals(Optional.empty(), outcome.refusal());
        var steps = outcome.steps().stream().map(ModelEngine.Step::toString).toList();
        assertTrue(steps.contains("read pull-access/team-a/pull-secret"), steps.toString());
    }

    @Test
    void aFirstClusterWideUpWithoutThePullCheckIsRefusedAndWithItHasNoWindow() {
        var first = Transition.run(
                programs,
                Optional.empty(),
                Transition.TODAY,
                Optional.of(Configurations.KEY_WIDE),
                Transition.TODAY,
                ModelEngine.Misorder.NONE);

        assertRefusedSaying(first, "into namespaces it did not cover before");
        var withCheck = Transition.run(
                programs,
                Optional.empty(),
                Transition.TODAY,
                Optional.of(checked(Configurations.KEY_WIDE)),
                Transition.TODAY,
                ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), withCheck.refusal());
        assertEquals(List.of(), withCheck.windows());
    }

    @Test
    void fromListedToClusterWideWithoutThePullCheckIsRefusedButBetweenTwoClusterWideDeploymentsItIsNot() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.KEY_WIDE, ModelEngine.Misorder.NONE);

        assertRefusedSaying(outcome, "registry-pull-access:verifyImage <image>");
        assertEquals(List.of(), outcome.steps());
        // The check may go once the namespaces are covered: the same namespaces, no first copy to wait for.
        var checkGone = run(checked(Configurations.KEY_WIDE), Configurations.KEY_WIDE, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), checkGone.refusal());
        assertEquals(List.of(), checkGone.windows());
    }

    /** The update ran, and left no window, nothing of anyone else's lost and no entry of ours naming no Secret. */
    private static void assertPassesCleanly(Transition.Outcome outcome) {
        assertEquals(Optional.empty(), outcome.refusal());
        assertEquals(List.of(), outcome.windows());
        assertEquals(List.of(), outcome.foreign());
        assertEquals(List.of(), outcome.dangling());
    }

    /** The update was refused, and its message says each of {@code phrases}. */
    private static void assertRefusedSaying(Transition.Outcome outcome, String... phrases) {
        var message = outcome.refusal().orElseThrow(() -> new AssertionError("not refused: " + outcome.steps()));
        for (var phrase : phrases) {
            assertTrue(message.contains(phrase), message);
        }
    }

    /** The configuration with the pull check. */
    private static Configuration checked(Configuration configuration) {
        var keys = new java.util.HashMap<>(configuration.keys());
        keys.put("verifyImage", Transition.CHECK_IMAGE);
        return new Configuration(configuration.name() + ", verifyImage", Map.copyOf(keys));
    }

    private static List<PullOracle.Window> windowsIn(Transition.Outcome outcome, String... namespaces) {
        return outcome.windows().stream()
                .filter(window -> List.of(namespaces).contains(window.way().namespace()))
                .toList();
    }

    @Test
    void listedToClusterWideWithAListedHomeKeepsTheSecretThatBecomesTheSource() {
        var homeTeamA = checked(configuration("key cluster-wide, home team-a"));

        var outcome = run(Configurations.KEY_LISTED, homeTeamA, ModelEngine.Misorder.NONE);

        // Deleted after the program, team-a's Secret was by then the source of every copy: Kyverno deleted them all.
        assertEquals(List.of(), windowsIn(outcome, "team-a", "team-b"));
        assertTrue(
                outcome.steps().stream()
                        .anyMatch(step -> step.toString().equals("update pull-access/team-a/pull-secret")),
                outcome.steps().toString());
    }

    @Test
    void tokenToKeyUnderTheSameNameIsRefusedWithTheWayThatIsSafe() {
        var outcome = run(Configurations.TOKEN_LISTED, Configurations.KEY_LISTED, ModelEngine.Misorder.NONE);

        assertRefusedSaying(outcome, "External Secrets Operator owns Secret", "secretName");
        // The way it names is one the model finds safe.
        var renamed =
                run(Configurations.TOKEN_LISTED, Configurations.KEY_LISTED_SECRET_NAME, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), renamed.refusal());
        assertEquals(List.of(), renamed.windows());
    }

    @Test
    void tokenToKeyClusterWideUnderTheSameNameIsRefusedAtPreviewNotHalfWayThrough() {
        var tokenWide = configuration("token cluster-wide");

        var outcome = run(tokenWide, Configurations.KEY_WIDE, ModelEngine.Misorder.NONE);

        assertRefusedSaying(outcome, "in the home namespace registry-pull-access");
        assertEquals(List.of(), outcome.steps());
        var renamed = new Configuration(
                "key cluster-wide, secretName", new java.util.HashMap<>(Configurations.KEY_WIDE.keys()));
        renamed.keys().put("secretName", "team-pull");
        var safe = run(tokenWide, renamed, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), safe.refusal());
        assertEquals(List.of(), safe.windows());
    }

    @Test
    void listedTokenToClusterWideUnderTheSameNameIsRefusedWithTheWayThatIsSafe() {
        var tokenWide = configuration("token cluster-wide");

        var outcome = run(Configurations.TOKEN_LISTED, tokenWide, ModelEngine.Misorder.NONE);

        assertRefusedSaying(outcome, "until Kyverno puts it back", "registry-pull-access:verifyImage <image>");
        // The way it names: a new name and the pull check, which holds the update (and the old ExternalSecrets'
        // deletes after it) until Kyverno's copy is there. Under a new name alone the old Secrets went about a
        // second before Kyverno's copies arrived.
        var renamed = new Configuration("token cluster-wide, secretName", new java.util.HashMap<>(tokenWide.keys()));
        renamed.keys().put("secretName", "registry-pull-secret-2");
        renamed.keys().put("verifyImage", "eu.gcr.io/acme-dev/tools/check:1");
        var safe = run(Configurations.TOKEN_LISTED, renamed, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), safe.refusal());
        assertEquals(List.of(), safe.windows());
    }

    @Test
    void aStackDeployedAgainAfterDestroyIsRefusedBeforeHelmRefusesTheReleaseDestroyKept() {
        var install = Configurations.INSTALL_KYVERNO;
        var model = new Model();
        var first = programs.run(install, Transition.TODAY, model);
        assertEquals(Optional.empty(), first.failure());
        assertEquals(
                Optional.empty(), model.up(first.resources(), first.reads()).failure());
        assertEquals(Optional.empty(), model.up(List.of(), List.of()).failure());

        var again = programs.run(install, Transition.TODAY, model);

        var refusal = again.failure().orElseThrow().getMessage();
        assertTrue(refusal.contains("`pulumi config set registry-pull-access:installKyverno false`"), refusal);
        // The way it names: the running release is used as it is.
        var without = Configuration.of(
                "key cluster-wide, verifyImage", "allNamespaces", "true", "verifyImage", Transition.CHECK_IMAGE);
        var used = programs.run(without, Transition.TODAY, model);
        assertEquals(Optional.empty(), used.failure());
        assertEquals(Optional.empty(), model.up(used.resources(), used.reads()).failure());
    }

    @Test
    void anUpdateOfItsOwnReleaseIsNotRefused() {
        var install = Configurations.INSTALL_KYVERNO;
        var model = new Model();
        var first = programs.run(install, Transition.TODAY, model);
        model.up(first.resources(), first.reads());

        var again = programs.run(install, Transition.TODAY, model);

        assertEquals(Optional.empty(), again.failure());
        assertEquals(
                Optional.empty(), model.up(again.resources(), again.reads()).failure());
    }

    private static Configuration configuration(String name) {
        return Configurations.ALL.stream()
                .filter(configuration -> configuration.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void clusterWideToListedUnderTheSameNameIsRefusedWithTheWayThatIsSafe() {
        var outcome = run(Configurations.KEY_WIDE, Configurations.KEY_LISTED, ModelEngine.Misorder.NONE);

        assertRefusedSaying(outcome, "Kyverno copied Secret");
        var renamed = run(Configurations.KEY_WIDE, Configurations.KEY_LISTED_SECRET_NAME, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), renamed.refusal());
        assertEquals(List.of(), renamed.windows());
    }

    @Test
    void twoStacksInterleavedFailTheLateUpdateBeforeItWritesAndLoseNothing() {
        var outcome = TwoStacks.run(programs, TwoStacks.Scenario.INTERLEAVED, ModelEngine.Misorder.NONE);

        assertEquals(List.of(), outcome.foreign());
        assertTrue(
                outcome.refusal().orElseThrow().contains("the object has been modified")
                        && outcome.refusal().orElseThrow().endsWith("the next `up` succeeds"),
                outcome.refusal().toString());
        assertEquals(List.of(), outcome.windows());
    }

    @Test
    void aControllersEntryAddedBetweenTheReadAndTheApplyFailsTheUpdateInsteadOfBeingLost() {
        var outcome = TwoStacks.run(programs, TwoStacks.Scenario.CONTROLLER_IN_THE_WINDOW, ModelEngine.Misorder.NONE);

        assertEquals(List.of(), outcome.foreign());
        assertTrue(
                outcome.refusal().orElseThrow().startsWith("team: update pull-access/team-a/default/sa"),
                outcome.refusal().toString());
    }

    @Test
    void everyNegativeControlIsFlagged() {
        for (var control : Configurations.NEGATIVE_CONTROLS) {
            var outcome = control.measure().apply(programs);

            assertTrue(control.flagged(outcome), control.name() + ": " + outcome.windows() + " " + outcome.foreign());
        }
    }

    @Test
    void aChangeOfTheSelectorThatKyvernoWouldRefuseIsRefusedByTheProgramBeforeAnyStepWithTheWayThatIsSafe() {
        var selector = configuration("key cluster-wide, selector");

        var outcome = run(Configurations.KEY_WIDE, selector, ModelEngine.Misorder.NONE);

        assertEquals(List.of(), outcome.steps());
        assertTrue(
                outcome.refusal()
                        .orElseThrow()
                        .startsWith("refused by the program: - Kyverno refuses to change which namespaces"),
                outcome.refusal().toString());
        // The way it names: under a new name the copy policy's pattern changes with its match, which Kyverno allows.
        var renamed =
                new Configuration("key cluster-wide, selector, secretName", new java.util.HashMap<>(selector.keys()));
        renamed.keys().put("secretName", "registry-pull-secret-2");
        var safe = run(Configurations.KEY_WIDE, renamed, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), safe.refusal());
        assertEquals(List.of(), safe.windows());
    }

    /**
     * A new home namespace cluster-wide under the same name: the new source Secret would be written into the copy
     * Kyverno made there from the old home, and the update stopped half-way at a conflict with Kyverno's field
     * manager. Refused before any step, naming a new name and the pull check: the new copy policy (another name,
     * created first) copies the new Secret before the old policy and its copies go.
     */
    @Test
    void aNewHomeUnderTheSameNameIsRefusedBeforeAnyStepWithTheWayThatIsSafe() {
        var home = configuration("key cluster-wide, home team-a");

        for (var fromTo :
                List.of(List.of(Configurations.KEY_WIDE, home), List.of(home, configuration("token cluster-wide")))) {
            var from = fromTo.get(0);
            var outcome = run(from, fromTo.get(1), ModelEngine.Misorder.NONE);
            assertEquals(List.of(), outcome.steps(), outcome.name());
            assertTrue(
                    outcome.refusal()
                            .orElseThrow()
                            .startsWith("refused by the program: - Kyverno copied Secret registry-pull-secret from the"
                                    + " home namespace "
                                    + from.key("homeNamespace").orElse("registry-pull-access")),
                    outcome.refusal().toString());
        }
        var renamed =
                new Configuration("key cluster-wide, home team-a, secretName", new java.util.HashMap<>(home.keys()));
        renamed.keys().put("secretName", "registry-pull-secret-2");
        renamed.keys().put("verifyImage", "eu.gcr.io/acme-dev/tools/check:1");
        var safe = run(Configurations.KEY_WIDE, renamed, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), safe.refusal());
        assertEquals(List.of(), safe.windows());
        var back = run(
                home,
                new Configuration(
                        "key cluster-wide, secretName",
                        java.util.Map.of(
                                "registries", "[\"eu.gcr.io\"]",
                                "allNamespaces", "true",
                                "secretName", "registry-pull-secret-2",
                                "verifyImage", "eu.gcr.io/acme-dev/tools/check:1")),
                ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), back.refusal());
        assertEquals(List.of(), back.windows());
    }
}
