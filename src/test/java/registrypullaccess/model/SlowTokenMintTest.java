package registrypullaccess.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Token mode when External Secrets Operator's first mint comes late: the trust grant made in the same update takes
 * Google's documented worst case, {@value ModelGoogle#DOCUMENTED_PROPAGATION_SECONDS} s, to take effect, and ESO
 * retries with its backoff (docs/model.md, "A slow first mint"). The update waits for the Secret ESO writes, not for
 * the ExternalSecret object.
 */
class SlowTokenMintTest {

    private static final Configuration TOKEN_WIDE_CHECKED = Configuration.of(
            "token cluster-wide, verifyImage",
            "allNamespaces",
            "true",
            "credentials",
            "token",
            "gkeCluster",
            Configurations.GKE,
            "verifyImage",
            Configurations.IMAGE);

    private final Transition.Programs programs = new Transition.Programs();

    private Transition.Outcome slowly(Optional<Configuration> from, Configuration to) {
        return Transition.run(
                programs,
                from,
                Transition.TODAY,
                Optional.of(to),
                Transition.TODAY,
                ModelEngine.Misorder.NONE,
                ModelGoogle.DOCUMENTED_PROPAGATION_SECONDS);
    }

    private static Configuration named(String name) {
        return Configurations.ALL.stream()
                .filter(configuration -> configuration.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static int index(Transition.Outcome outcome, String step) {
        var steps = outcome.steps().stream().map(ModelEngine.Step::toString).toList();
        assertTrue(steps.contains(step), step + " in " + steps);
        return steps.indexOf(step);
    }

    @Test
    void aFirstClusterWideUpCreatesTheCopyPolicyOnlyOnceEsoHasWrittenTheSource() {
        var outcome = slowly(Optional.empty(), TOKEN_WIDE_CHECKED);

        assertEquals(Optional.empty(), outcome.refusal());
        assertEquals(List.of(), outcome.windows());
        assertTrue(index(outcome, "create pull-access/registry-pull-access/token-ready")
                < index(outcome, "create pull-access/copy-policy"));
    }

    @Test
    void aSwitchFromKeyToTokenKeepsTheKeyUntilEveryListedSecretHoldsAToken() {
        var outcome = slowly(Optional.of(named("key listed, verifyImage")), named("token listed, verifyImage"));

        assertEquals(Optional.empty(), outcome.refusal());
        assertEquals(List.of(), outcome.windows());
        for (var namespace : List.of("team-a", "team-b")) {
            var ready = index(outcome, "create pull-access/" + namespace + "/token-ready");
            assertTrue(ready < index(outcome, "create-replacement pull-access/" + namespace + "/pull-check"));
            assertTrue(ready < index(outcome, "delete pull-access/key-even"));
        }
    }
}
