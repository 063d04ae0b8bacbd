package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.OutsideMutationTesting;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's switch of layout as a transition on the model: listed token mode used to mint in every namespace (a
 * minting ServiceAccount, a generator and a {@code roles/iam.workloadIdentityUser} member per namespace); since
 * 5b58db7 it mints once in the home namespace and ESO copies the Secret. The recordings under
 * {@code src/test/resources/model/before-one-minter/} are what the program declared at 3a54bb4, the last commit
 * before that change, for each listed token configuration of the matrix; a live stack of that version upgrades to
 * today's program without a broken pull.
 */
@OutsideMutationTesting
class OneMinterUpgradeTest {

    private final Transition.Programs programs = new Transition.Programs();

    @Test
    void everyStackThatMintsInEveryNamespaceUpgradesWithoutABrokenPull() {
        assertEquals(5, Recording.BEFORE_ONE_MINTER.size());
        for (var recording : Recording.BEFORE_ONE_MINTER) {
            var outcome = Transition.upgrade(programs, recording);

            assertEquals(Optional.empty(), outcome.refusal(), outcome.name());
            assertEquals(List.of(), outcome.windows(), outcome.name());
            assertTrue(
                    outcome.steps().stream()
                            .anyMatch(step ->
                                    step.op().equals("delete") && step.name().equals("pull-access/team-b/token-user")),
                    "the per-namespace IAM member goes: " + outcome.steps());
            assertTrue(
                    outcome.steps().stream()
                            .anyMatch(step -> step.op().equals("create")
                                    && step.name().equals("pull-access/registry-pull-access/token-user")),
                    "the home minter's one IAM member comes: " + outcome.steps());
        }
    }
}
