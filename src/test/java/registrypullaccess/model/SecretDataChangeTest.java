package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.OutsideMutationTesting;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changes of what a pull Secret holds, on the model: pulumi-kubernetes v4.0.0 would replace the Secret, delete-first;
 * the program changes it in place instead (docs/model.md, "Secret data changes").
 */
@OutsideMutationTesting
class SecretDataChangeTest {

    private final Transition.Programs programs = new Transition.Programs();

    private Transition.Outcome run(Configuration from, Configuration to, LocalDate toDate) {
        return Transition.run(
                programs, Optional.of(from), Transition.TODAY, Optional.of(to), toDate, ModelEngine.Misorder.NONE);
    }

    private Transition.Outcome rotation(Configuration configuration) {
        return run(configuration, configuration, Transition.TODAY.plusDays(91));
    }

    private static Configuration named(String name) {
        return Configurations.ALL.stream()
                .filter(configuration -> configuration.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> steps(Transition.Outcome outcome) {
        return outcome.steps().stream().map(ModelEngine.Step::toString).toList();
    }

    @Test
    void aKeyRotationChangesEachListedSecretInPlaceCreateFirst() {
        var outcome = rotation(Configurations.KEY_LISTED);

        assertEquals(List.of(), outcome.windows());
        var steps = steps(outcome);
        assertTrue(
                steps.indexOf("create-replacement pull-access/team-a/pull-secret")
                        < steps.indexOf("delete-replaced pull-access/team-a/pull-secret"),
                steps.toString());
        assertTrue(
                steps.indexOf("delete-replaced pull-access/team-a/pull-secret")
                        < steps.indexOf("delete pull-access/key-even"),
                steps.toString());
    }

    @Test
    void aKeyRotationWherePodsNameTheSecretLeavesNoWindow() {
        assertEquals(List.of(), rotation(named("key per-pod")).windows());
    }

    @Test
    void anotherRegistryOrAnotherAccountChangesTheSecretsWithoutAWindow() {
        assertEquals(
                List.of(),
                run(Configurations.KEY_LISTED, named("key listed, ghcr.io"), Transition.TODAY)
                        .windows());
        assertEquals(
                List.of(),
                run(named("key per-pod"), named("key listed, serviceAccountId"), Transition.TODAY)
                        .windows());
    }

    @Test
    void aNewTokenIdentityMintsAndIsCopiedBeforeTheOldAccountGoes() {
        var token = Configurations.TOKEN_LISTED;
        var otherAccount = named("token listed, serviceAccountId");
        var oidc = named("token listed, OIDC");

        assertEquals(List.of(), run(token, otherAccount, Transition.TODAY).windows());
        assertEquals(List.of(), run(otherAccount, token, Transition.TODAY).windows());
        assertEquals(List.of(), run(oidc, otherAccount, Transition.TODAY).windows());
    }

    @Test
    void aClusterWideKeyRotationChangesTheSourceInPlaceAndKeepsTheKeyTheCopiesStillHold() {
        var outcome = rotation(Configurations.KEY_WIDE);

        assertEquals(List.of(), outcome.windows());
        var steps = steps(outcome);
        assertTrue(steps.contains("create-replacement pull-access/registry-pull-access/pull-secret"), steps.toString());
        // 2026-11-28 is in an even period, 91 days later an odd one: the odd key is made anew, the even one, which
        // Kyverno's copies hold until they follow the source, stays until the next rotation.
        assertTrue(steps.contains("create-replacement pull-access/key-odd"), steps.toString());
        assertTrue(steps.contains("same pull-access/key-even"), steps.toString());
    }
}
