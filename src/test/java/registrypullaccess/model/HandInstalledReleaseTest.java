package registrypullaccess.model;

import org.junit.jupiter.api.Test;
import registrypullaccess.OutsideMutationTesting;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Helm release someone installed by hand (or a version of this program from before the record of releases) meets
 * {@code installKyverno} or {@code installExternalSecrets}: no stack recorded it, and nothing the program can read at
 * preview tells it is there (docs/operations.md, "cannot re-use a name that is still in use"). Helm refuses the
 * install before it changes anything (Helm v3.12.1, pkg/action/install.go, RunWithContext: availableName comes first),
 * so the update fails at the release; what came before it must break no pull and lose nothing of anyone's, and the
 * update that uses the running release must pass.
 */
@OutsideMutationTesting
class HandInstalledReleaseTest {

    private static final String KYVERNO = "kyverno/kyverno";
    private static final String EXTERNAL_SECRETS = "external-secrets/external-secrets";

    private static final Configuration USE_KYVERNO = Configuration.of(
            "key cluster-wide, verifyImage", "allNamespaces", "true", "verifyImage", Transition.CHECK_IMAGE);

    private static final Configuration INSTALL_ESO = Configuration.of(
            "token listed, installExternalSecrets",
            "namespaces",
            Configurations.LISTED,
            "credentials",
            "token",
            "gkeCluster",
            Configurations.GKE,
            "installExternalSecrets",
            "true");

    private final Transition.Programs programs = new Transition.Programs();

    @Test
    void aFirstUpInstallingKyvernoFailsAtHelmsRefusalAndTheNextWithoutItPasses() {
        assertFailsThenPasses(KYVERNO, Optional.empty(), Configurations.INSTALL_KYVERNO, USE_KYVERNO);
    }

    @Test
    void fromListedSecretsInstallingKyvernoFailsWithoutAWindowAndTheNextWithoutItPasses() {
        assertFailsThenPasses(
                KYVERNO, Optional.of(Configurations.KEY_LISTED), Configurations.INSTALL_KYVERNO, USE_KYVERNO);
    }

    @Test
    void aFirstUpInstallingEsoFailsAtHelmsRefusalAndTheNextWithoutItPasses() {
        assertFailsThenPasses(EXTERNAL_SECRETS, Optional.empty(), INSTALL_ESO, Configurations.TOKEN_LISTED);
    }

    @Test
    void fromKeySecretsInstallingEsoFailsWithoutAWindowAndTheNextWithoutItPasses() {
        assertFailsThenPasses(
                EXTERNAL_SECRETS, Optional.of(Configurations.KEY_LISTED), INSTALL_ESO, Configurations.TOKEN_LISTED);
    }

    @Test
    void fromTokenSecretsInstallingEsoFailsWithoutAWindowAndTheNextWithoutItPasses() {
        assertFailsThenPasses(
                EXTERNAL_SECRETS, Optional.of(Configurations.TOKEN_LISTED), INSTALL_ESO, Configurations.TOKEN_LISTED);
    }

    private void assertFailsThenPasses(
            String release, Optional<Configuration> from, Configuration installing, Configuration using) {
        var model = Model.withReleasesInstalledByHand(List.of(release));

        var outcomes = Transition.inTurn(programs, model, from, List.of(installing, using));

        var failed = outcomes.get(0);
        assertTrue(
                failed.refusal().orElse("").contains("cannot re-use a name that is still in use"),
                failed.refusal().toString());
        assertEquals(List.of(), failed.windows());
        assertEquals(List.of(), failed.foreign());
        var next = outcomes.get(1);
        assertEquals(Optional.empty(), next.refusal());
        assertEquals(List.of(), next.windows());
        assertEquals(List.of(), next.foreign());
        assertEquals(List.of(), next.dangling());
    }
}
