package registrypullaccess.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import registrypullaccess.OutsideMutationTesting;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster-wide, a change of which namespaces are covered under the same {@code secretName} and home
 * ({@link Configurations#COVERAGE_CHANGES}): Kyverno v1.19.0 refuses the copy policy's new match or exclude while its
 * generate pattern stays (pkg/validation/policy/generate.go, immutableGenerateFields), also in the preview's dry run,
 * and a replacement under the same name deletes every copy first. The program refuses it itself, before any step,
 * saying what changed and naming the way.
 */
@OutsideMutationTesting
class CoverageChangeTest {

    private final Transition.Programs programs = new Transition.Programs();

    static List<List<Configuration>> changes() {
        return Configurations.COVERAGE_CHANGES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aChangeOfTheCoveredNamespacesUnderTheSameNameIsRefusedByTheProgramBeforeAnyStep(List<Configuration> fromTo) {
        var outcome = Transition.run(
                programs,
                Optional.of(fromTo.get(0)),
                Transition.TODAY,
                Optional.of(fromTo.get(1)),
                Transition.TODAY,
                ModelEngine.Misorder.NONE);

        var refusal = outcome.refusal().orElse("");
        assertEquals(List.of(), outcome.steps(), refusal);
        assertTrue(refusal.startsWith("refused by the program: - Kyverno refuses to change which namespaces"), refusal);
        assertTrue(refusal.contains("Switch under a new name"), refusal);
        assertEquals(List.of(), outcome.windows());
    }
}
