package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.OutsideMutationTesting;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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

    /**
     * A new identity under the same name: on the program before the refusal the copies synced (their identity
     * annotation changed) while the home ExternalSecret was still minting, kept the old account's token, and the old
     * reader grant went at the end of the update: 897 s without a pull in team-a and team-b, until the copies' next
     * refresh. Refused now, naming a new {@code secretName}, whose Secrets ESO writes only once the new identity has
     * minted: no window, with Google's trust taking effect at once and taking its documented 7 minutes.
     */
    @Test
    void aNewTokenIdentityIsRefusedUnderTheSameNameAndHasNoWindowUnderANewOne() {
        var token = Configurations.TOKEN_LISTED;
        var otherAccount = named("token listed, serviceAccountId");
        var oidc = named("token listed, OIDC");

        for (var fromTo :
                List.of(List.of(token, otherAccount), List.of(otherAccount, token), List.of(oidc, otherAccount))) {
            var from = fromTo.get(0);
            var to = fromTo.get(1);
            var refusal = run(from, to, Transition.TODAY).refusal().orElse("");
            assertTrue(refusal.contains("Another identity mints the tokens"), refusal);
            assertTrue(
                    refusal.contains("`pulumi config set registry-pull-access:secretName registry-pull-secret-2`"),
                    refusal);

            var renamed = renamed(to);
            var outcome = run(from, renamed, Transition.TODAY);
            assertEquals(Optional.empty(), outcome.refusal(), from.name());
            assertEquals(List.of(), outcome.windows(), from.name() + " -> " + renamed.name());
            var slowly = Transition.run(
                    programs,
                    Optional.of(from),
                    Transition.TODAY,
                    Optional.of(renamed),
                    Transition.TODAY,
                    ModelEngine.Misorder.NONE,
                    ModelGoogle.DOCUMENTED_PROPAGATION_SECONDS);
            assertEquals(Optional.empty(), slowly.refusal(), from.name());
            assertEquals(List.of(), slowly.windows(), from.name() + " -> " + renamed.name() + ", slowly");
        }
    }

    /** With the pull check, a new identity runs it again, after each namespace's Secret holds the new token. */
    @Test
    void aNewTokenIdentityRunsThePullCheckAgainOnceTheNewSecretsHoldATokenAndBeforeTheOldAccountGoes() {
        var from = named("token listed, verifyImage");
        var keys = new java.util.HashMap<>(from.keys());
        keys.put("serviceAccountId", "team-puller");
        keys.put("secretName", "registry-pull-secret-2");
        var outcome = run(
                from,
                new Configuration("token listed, verifyImage, another account", Map.copyOf(keys)),
                Transition.TODAY);

        assertEquals(Optional.empty(), outcome.refusal());
        assertEquals(List.of(), outcome.windows());
        var steps = steps(outcome);
        for (var namespace : List.of("team-a", "team-b")) {
            var ready = steps.indexOf("create-replacement pull-access/" + namespace + "/token-ready");
            var check = steps.indexOf("create-replacement pull-access/" + namespace + "/pull-check");
            assertTrue(ready >= 0 && ready < check, steps.toString());
            assertTrue(check < steps.indexOf("delete-replaced pull-access/sa"), steps.toString());
            assertTrue(
                    check < steps.indexOf("delete-replaced pull-access/reader/acme-dev/europe/eu.gcr.io"),
                    steps.toString());
        }
    }

    /**
     * Cluster-wide, which the matrix has with one identity only: refused under the same name too, and the way it
     * names (a new name, and the pull check if Kyverno would cover a namespace for the first time) has no window.
     */
    @Test
    void aNewTokenIdentityClusterWideIsRefusedUnderTheSameNameAndHasNoWindowUnderANewOne() {
        var from = named("token cluster-wide");
        var keys = new java.util.HashMap<>(from.keys());
        keys.put("serviceAccountId", "team-puller");
        var to = new Configuration("token cluster-wide, serviceAccountId", Map.copyOf(keys));

        var refusal = run(from, to, Transition.TODAY).refusal().orElse("");
        assertTrue(refusal.contains("Another identity mints the tokens"), refusal);
        keys.put("secretName", "registry-pull-secret-2");
        if (refusal.contains("registry-pull-access:verifyImage")) {
            keys.put("verifyImage", Configurations.IMAGE);
        }
        var outcome = run(from, new Configuration(to.name() + ", renamed", Map.copyOf(keys)), Transition.TODAY);
        assertEquals(Optional.empty(), outcome.refusal());
        assertEquals(List.of(), outcome.windows());
    }

    private static Configuration renamed(Configuration configuration) {
        var keys = new java.util.HashMap<>(configuration.keys());
        keys.put("secretName", "registry-pull-secret-2");
        return new Configuration(configuration.name() + ", renamed", Map.copyOf(keys));
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

    /**
     * Detaching (teardown) with another identity is not refused: no pod is to pull through our entries from then on,
     * and the model, which watches during an update only the ways both configurations promise, finds no window and
     * nothing foreign lost. (What it cannot show: a pod admitted before, whose spec kept the Secret's name from its
     * ServiceAccount, pulls with what the Secret holds until ESO's next refresh under the new identity; detach is the
     * step before {@code pulumi destroy}, which deletes the Secrets.)
     */
    @Test
    void detachingWithAnotherIdentityIsNotRefusedAndLeavesNoWindow() {
        var detached =
                new java.util.HashMap<>(named("token listed, serviceAccountId").keys());
        detached.put("detach", "true");

        var outcome = run(
                Configurations.TOKEN_LISTED,
                new Configuration("token listed, serviceAccountId, detach", Map.copyOf(detached)),
                Transition.TODAY);

        assertEquals(Optional.empty(), outcome.refusal());
        assertEquals(List.of(), outcome.windows());
        assertEquals(List.of(), outcome.foreign());
    }
}
