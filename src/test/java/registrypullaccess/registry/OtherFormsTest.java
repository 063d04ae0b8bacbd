package registrypullaccess.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.pullsecret.RegistryCredential;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forms beside plain repositories: legacy storage, project-wide readers, other registries. */
class OtherFormsTest {

    @ParameterizedTest(name = "{0} is served from bucket {1}")
    @CsvSource({
        "gcr.io,                   artifacts.acme-dev.appspot.com",
        "us.gcr.io,                us.artifacts.acme-dev.appspot.com",
        "eu.gcr.io/acme-legacy,    eu.artifacts.acme-legacy.appspot.com",
        "asia.gcr.io/acme-legacy,  asia.artifacts.acme-legacy.appspot.com",
    })
    void legacyStorageGrantsObjectViewerOnTheHostsBucketOnly(String entry, String bucket) {
        var legacy = LegacyStorageBucket.parse(entry, "acme-dev");

        assertEquals(bucket, legacy.bucket());
        var grant = legacy.grant().orElseThrow();
        assertEquals("roles/storage.objectViewer", grant.role());
        assertEquals("projects/_/buckets/" + bucket, grant.resource());
        assertEquals(entry.split("/", -1)[0], legacy.host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"europe-west1-docker.pkg.dev/acme/images", "eu.gcr.io/acme-legacy/extra", "quay.io"})
    void legacyStorageIsOnlyForGcrHosts(String entry) {
        var error = assertThrows(IllegalArgumentException.class, () -> LegacyStorageBucket.parse(entry, "acme-dev"));

        assertTrue(error.getMessage().contains("legacy storage is for gcr.io hosts"), error.getMessage());
    }

    @ParameterizedTest(name = "{0} reads every repository of {2}")
    @CsvSource({
        "europe-west1-docker.pkg.dev/acme-shared, europe-west1-docker.pkg.dev, acme-shared",
        "eu.gcr.io,                               eu.gcr.io,                   acme-dev",
        "eu.gcr.io/acme-legacy,                   eu.gcr.io,                   acme-legacy",
    })
    void projectWideReaderGrantsTheReaderRoleOnTheProject(String entry, String host, String project) {
        var reader = ProjectWideReader.parse(entry, "acme-dev");

        assertEquals(host, reader.host());
        var grant = reader.grant().orElseThrow();
        assertEquals("roles/artifactregistry.reader", grant.role());
        assertEquals("projects/" + project, grant.resource());
    }

    @Test
    void projectWideReaderNeedsTheProjectOfAnArtifactRegistryHost() {
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> ProjectWideReader.parse("europe-west1-docker.pkg.dev", "acme-dev"));

        assertTrue(error.getMessage().contains("a project-wide entry is HOST/PROJECT"), error.getMessage());
    }

    @Test
    void otherRegistryJoinsThePullSecretWithItsOwnCredentialAndNoGrant() {
        var ghcr = OtherRegistry.of("ghcr.io", "acme-bot", "ghp_exampletoken", Optional.empty());

        assertEquals("ghcr.io", ghcr.host());
        assertEquals(Optional.empty(), ghcr.grant());
        assertEquals(new RegistryCredential("acme-bot", "ghp_exampletoken", Optional.empty()), ghcr.credential());
        assertFalse(ghcr.toString().contains("ghp_exampletoken"), ghcr.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker.io", "index.docker.io"})
    void dockerHubIsFiledWhereDockerFilesIt(String host) {
        assertEquals(
                "https://index.docker.io/v1/",
                OtherRegistry.of(host, "u", "p", Optional.empty()).host());
    }

    @Test
    void otherRegistryKeepsAPort() {
        assertEquals(
                "registry.acme.example:5000",
                OtherRegistry.of("registry.acme.example:5000", "u", "p", Optional.empty())
                        .host());
    }

    @ParameterizedTest(name = "rejects {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://ghcr.io            | u | p | without a scheme",
                "https://robot:ghp_1@ghcr.io | u | p | \"https://***@ghcr.io\": holds a user name or password",
                "robot:ghp_1@registry.acme.example | u | p | \"***@registry.acme.example\"",
                "ghcr.io/acme               | u | p | not a registry host",
                "GHCR.io                    | u | p | not a registry host",
                "eu.gcr.io                  | u | p | a Google registry",
                "europe-west1-docker.pkg.dev | u | p | a Google registry",
                "ghcr.io                    | ' ' | p | username is empty",
            })
    void rejectsOtherRegistriesThatCannotWork(String host, String username, String password, String reason) {
        var error = assertThrows(
                IllegalArgumentException.class, () -> OtherRegistry.of(host, username, password, Optional.empty()));

        assertTrue(error.getMessage().contains(reason), error.getMessage());
        assertFalse(error.getMessage().contains("ghp_"), error.getMessage());
    }

    @Test
    void neverEchoesCredentialsTypedIntoAGoogleRegistryEntry() {
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> ArtifactRepository.parse("https://_json_key:SECRET@eu.gcr.io/acme-shared", "acme"));

        assertEquals(
                "\"https://***@eu.gcr.io/acme-shared\": holds a user name or password before '@' (masked here): "
                        + "write the registry alone, e.g. eu.gcr.io: a Google registry is reached through IAM, "
                        + "with no password",
                error.getMessage());
    }
}
