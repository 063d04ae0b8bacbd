package registrypullaccess.model;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The foreign-objects oracle: what it counts as lost, and what it lets the stack do. */
class ForeignOracleTest {

    private final World world = new World();
    private final ForeignOracle oracle = new ForeignOracle();

    @BeforeEach
    void othersObjects() {
        world.cluster.write("kubectl-create", "Secret", "team-a", "regcred", Map.of("data", "e30="), "foreign");
        world.cluster.write(
                "kubectl-client-side-apply",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of("regcred")),
                "foreign");
        world.google.addMember("repo", PullOracle.READER, "group:platform@acme.example");
        world.observe(oracle);
        oracle.remember(world);
        oracle.count(world);
    }

    private void step(String cause) {
        world.stepped(cause);
    }

    @Test
    void addingOurEntryAndOurFieldsLosesNothing() {
        world.cluster.apply(
                "pulumi",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of("regcred", "ours"), "annotation:ours", "yes"),
                true,
                Set.of(),
                "stack");
        world.google.addMember("repo", PullOracle.READER, "serviceAccount:ours");
        step("update ours");

        assertEquals(List.of(), oracle.losses());
    }

    @Test
    void anEntryDroppedIsLostWithTheStepThatDroppedIt() {
        world.cluster.apply(
                "pulumi",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of("ours")),
                true,
                Set.of(),
                "stack");
        step("update naive");

        assertEquals(
                List.of(new ForeignOracle.Loss(
                        "entry regcred in ServiceAccount team-a/default imagePullSecrets", "update naive")),
                oracle.losses());
    }

    @Test
    void aSecretChangedOrMadeAgainIsLostOnceWithItsFirstCause() {
        world.cluster.write("pulumi", "Secret", "team-a", "regcred", Map.of("data", "bmV3"), "stack");
        step("create same name");
        world.cluster.delete("Secret", "team-a", "regcred", "pulumi");
        world.cluster.write("kubectl-create", "Secret", "team-a", "regcred", Map.of("data", "e30="), "foreign");
        step("delete and create");

        assertEquals(List.of(new ForeignOracle.Loss("Secret team-a/regcred", "create same name")), oracle.losses());
    }

    @Test
    void aSecretDeletedAndMadeAgainIdenticalIsStillLost() {
        world.cluster.delete("Secret", "team-a", "regcred", "pulumi");
        world.cluster.write("kubectl-create", "Secret", "team-a", "regcred", Map.of("data", "e30="), "foreign");
        step("delete and create");

        assertEquals(List.of(new ForeignOracle.Loss("Secret team-a/regcred", "delete and create")), oracle.losses());
    }

    @Test
    void anotherMemberRemovedFromThePolicyIsLost() {
        world.google.removeMember("repo", PullOracle.READER, "group:platform@acme.example");
        step("delete grant");

        assertEquals(
                List.of(new ForeignOracle.Loss(
                        "IAM member group:platform@acme.example in roles/artifactregistry.reader on repo",
                        "delete grant")),
                oracle.losses());
    }

    @Test
    void nothingLostBeforeTheTransitionStartsIsCounted() {
        var fresh = new ForeignOracle();
        world.observe(fresh);
        fresh.remember(world);
        world.cluster.delete("Secret", "team-a", "regcred", "pulumi");
        step("setup");
        fresh.count(world);
        step("first step");

        assertEquals(List.of(), fresh.losses());
    }
}
