package registrypullaccess.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real program on the model: what the matrix measures, for a few transitions. */
class TransitionTest {

    private final Transition.Programs programs = new Transition.Programs();

    private Transition.Outcome run(Configuration from, Configuration to, ModelEngine.Misorder misorder) {
        return Transition.run(
                programs, Optional.of(from), Transition.TODAY, Optional.of(to), Transition.TODAY, misorder);
    }

    @Test
    void anUnchangedStackIsAllSameStepsAndNoWindow() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.KEY_LISTED, ModelEngine.Misorder.NONE);

        assertTrue(
                outcome.steps().stream().allMatch(step -> step.op().equals("same")),
                outcome.steps().toString());
        assertEquals(0, outcome.windows().size());
        assertEquals(Optional.empty(), outcome.refusal());
    }

    @Test
    void keyToTokenReleasesTheOldSecretToEsoInsteadOfDeletingIt() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.TOKEN_LISTED, ModelEngine.Misorder.NONE);

        // Deleted after the program, the Secret was by then ESO's: a window until ESO wrote it again.
        assertEquals(List.of(), outcome.windows());
        assertTrue(
                outcome.steps().stream()
                        .anyMatch(step -> step.toString().equals("read pull-access/team-a/pull-secret")),
                outcome.steps().toString());
        assertTrue(
                outcome.steps().stream()
                        .noneMatch(step -> step.toString().equals("delete pull-access/team-a/pull-secret")),
                outcome.steps().toString());
    }

    @Test
    void keyToClusterWideReleasesTheListedSecretsToKyvernosCopies() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.KEY_WIDE, ModelEngine.Misorder.NONE);

        assertEquals(List.of(), outcome.windows());
        assertEquals(Optional.empty(), outcome.refusal());
    }

    @Test
    void listedToClusterWideWithAListedHomeKeepsTheSecretThatBecomesTheSource() {
        var homeTeamA = configuration("key cluster-wide, home team-a");

        var outcome = run(Configurations.KEY_LISTED, homeTeamA, ModelEngine.Misorder.NONE);

        // Deleted after the program, team-a's Secret was by then the source of every copy: Kyverno deleted them all.
        assertEquals(List.of(), outcome.windows());
        assertTrue(
                outcome.steps().stream()
                        .anyMatch(step -> step.toString().equals("update pull-access/team-a/pull-secret")),
                outcome.steps().toString());
    }

    @Test
    void tokenToKeyUnderTheSameNameIsRefusedWithTheWayThatIsSafe() {
        var outcome = run(Configurations.TOKEN_LISTED, Configurations.KEY_LISTED, ModelEngine.Misorder.NONE);

        assertTrue(
                outcome.refusal().orElseThrow().contains("External Secrets Operator owns Secret"),
                outcome.refusal().toString());
        assertTrue(
                outcome.refusal().orElseThrow().contains("secretName"),
                outcome.refusal().toString());
        // The way it names is one the model finds safe.
        var renamed =
                run(Configurations.TOKEN_LISTED, Configurations.KEY_LISTED_SECRET_NAME, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), renamed.refusal());
        assertEquals(List.of(), renamed.windows());
    }

    @Test
    void listedTokenToClusterWideUnderTheSameNameIsRefusedWithTheWayThatIsSafe() {
        var tokenWide = configuration("token cluster-wide");

        var outcome = run(Configurations.TOKEN_LISTED, tokenWide, ModelEngine.Misorder.NONE);

        assertTrue(
                outcome.refusal().orElseThrow().contains("until Kyverno puts it back"),
                outcome.refusal().toString());
        var renamed = new Configuration("token cluster-wide, secretName", new java.util.HashMap<>(tokenWide.keys()));
        renamed.keys().put("secretName", "team-pull");
        var safe = run(Configurations.TOKEN_LISTED, renamed, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), safe.refusal());
        assertEquals(List.of(), safe.windows());
    }

    @Test
    void aStackDeployedAgainAfterDestroyIsRefusedBeforeHelmRefusesTheReleaseDestroyKept() {
        var install =
                Configuration.of("key cluster-wide, installKyverno", "allNamespaces", "true", "installKyverno", "true");
        var model = new Model();
        var first = programs.run(install, Transition.TODAY, model.live());
        assertEquals(Optional.empty(), first.failure());
        assertEquals(
                Optional.empty(), model.up(first.resources(), first.reads()).failure());
        assertEquals(Optional.empty(), model.up(List.of(), List.of()).failure());

        var again = programs.run(install, Transition.TODAY, model.live());

        var refusal = again.failure().orElseThrow().getMessage();
        assertTrue(refusal.contains("`pulumi config set registry-pull-access:installKyverno false`"), refusal);
        // The way it names: the running release is used as it is.
        var without = Configuration.of("key cluster-wide", "allNamespaces", "true");
        var used = programs.run(without, Transition.TODAY, model.live());
        assertEquals(Optional.empty(), used.failure());
        assertEquals(Optional.empty(), model.up(used.resources(), used.reads()).failure());
    }

    @Test
    void anUpdateOfItsOwnReleaseIsNotRefused() {
        var install =
                Configuration.of("key cluster-wide, installKyverno", "allNamespaces", "true", "installKyverno", "true");
        var model = new Model();
        var first = programs.run(install, Transition.TODAY, model.live());
        model.up(first.resources(), first.reads());

        var again = programs.run(install, Transition.TODAY, model.live());

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

        assertTrue(
                outcome.refusal().orElseThrow().contains("Kyverno copied Secret"),
                outcome.refusal().toString());
        var renamed = run(Configurations.KEY_WIDE, Configurations.KEY_LISTED_SECRET_NAME, ModelEngine.Misorder.NONE);
        assertEquals(Optional.empty(), renamed.refusal());
        assertEquals(List.of(), renamed.windows());
    }

    @Test
    void everyNegativeControlIsFlagged() {
        for (var control : Configurations.NEGATIVE_CONTROLS) {
            var outcome = Transition.run(
                    programs,
                    Optional.of(control.from()),
                    Transition.TODAY,
                    control.to(),
                    Transition.TODAY,
                    control.misorder());

            assertTrue(control.flagged(outcome), control.name() + ": " + outcome.windows() + " " + outcome.foreign());
        }
    }

    @Test
    void aPreviewThatKyvernoRefusesStopsTheUpdateBeforeAnyStep() {
        var selector = Configurations.ALL.stream()
                .filter(configuration -> configuration.name().equals("key cluster-wide, selector"))
                .findFirst()
                .orElseThrow();

        var outcome = run(Configurations.KEY_WIDE, selector, ModelEngine.Misorder.NONE);

        assertEquals(List.of(), outcome.steps());
        assertTrue(
                outcome.refusal()
                        .orElseThrow()
                        .startsWith("preview of create pull-access/copy-policy: admission webhook"),
                outcome.refusal().toString());
    }
}
