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
    void keyToTokenKeepsTheSecretEsoTookOverWhenTheOldSecretsOwnerGoes() {
        var outcome = run(Configurations.KEY_LISTED, Configurations.TOKEN_LISTED, ModelEngine.Misorder.NONE);

        // ESO's ExternalSecret owns the Secret too by then, so the garbage collector leaves it.
        assertTrue(
                outcome.steps().stream()
                        .map(ModelEngine.Step::toString)
                        .toList()
                        .contains("delete pull-access/team-a/pull-secret-owner"),
                outcome.steps().toString());
        assertEquals(List.of(), outcome.windows());
    }

    @Test
    void everyNegativeControlIsFlagged() {
        for (var control : Configurations.NEGATIVE_CONTROLS) {
            var outcome = control.measure().apply(programs);

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
