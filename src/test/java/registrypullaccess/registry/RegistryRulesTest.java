package registrypullaccess.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The edges of the registry rules: each case is one a plausible slip in the code would get wrong. */
class RegistryRulesTest {

    private static String problem(Runnable parse) {
        return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
    }

    @Test
    void legacyStorageAndProjectWideEntriesRejectASchemeSayingHowToWriteThem() {
        var how = "\"https://eu.gcr.io\": write the registry without a scheme, e.g. eu.gcr.io, not https://eu.gcr.io";

        assertEquals(how, problem(() -> LegacyStorageBucket.parse("https://eu.gcr.io", "acme-dev")));
        assertEquals(how, problem(() -> ProjectWideReader.parse("https://eu.gcr.io", "acme-dev")));
    }

    @Test
    void aProjectWideGcrEntryNamesAtMostAProject() {
        assertEquals(
                "\"eu.gcr.io/acme-dev/images\": a project-wide entry is HOST/PROJECT, e.g. eu.gcr.io/acme-shared",
                problem(() -> ProjectWideReader.parse("eu.gcr.io/acme-dev/images", "acme-dev")));
        assertEquals(
                new ProjectWideReader("eu.gcr.io/acme-shared", "eu.gcr.io", "acme-shared"),
                ProjectWideReader.parse("eu.gcr.io/acme-shared", "acme-dev"));
    }

    @Test
    void filesDockerHubUnderItsOwnServerWhicheverOfItsHostsIsWritten() {
        for (var host : List.of("docker.io", "index.docker.io")) {
            assertEquals(
                    OtherRegistry.DOCKER_HUB_SERVER,
                    OtherRegistry.of(host, "bot", "pw", Optional.empty()).host());
            assertEquals(OtherRegistry.DOCKER_HUB_SERVER, ImageReference.server(host + "/acme/app:1.0"));
        }
        assertEquals(
                "registry.acme.example:5000",
                OtherRegistry.of("registry.acme.example:5000", "bot", "pw", Optional.empty())
                        .host());
        assertEquals("localhost", ImageReference.server("localhost/app:1.0"));
        assertEquals(OtherRegistry.DOCKER_HUB_SERVER, ImageReference.server("nginx:1.27"));
    }

    @Test
    void anOtherRegistryNeedsAUsernameAndAPassword() {
        assertEquals(
                "\"ghcr.io\": password is empty",
                problem(() -> OtherRegistry.of("ghcr.io", "bot", "", Optional.empty())));
        assertEquals(
                "\"ghcr.io\": username is empty",
                problem(() -> OtherRegistry.of("ghcr.io", " ", "pw", Optional.empty())));
    }
}
