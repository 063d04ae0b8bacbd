package registrypullaccess.pullsecret;

import org.junit.jupiter.api.Test;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.OtherRegistry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SecretContentTest {

    private static final RegistryCredential KEY =
            RegistryCredential.jsonKey("{\"type\":\"service_account\"}", Optional.empty());

    @Test
    void givesGoogleHostsTheKeyAndOtherRegistriesTheirOwnPassword() {
        var ghcr = OtherRegistry.of("ghcr.io", "acme-bot", "ghp_x", Optional.empty());
        var credentials =
                SecretContent.credentials(List.of(ArtifactRepository.parse("eu.gcr.io", "acme-dev"), ghcr), KEY);

        assertEquals(List.of("eu.gcr.io", "ghcr.io"), List.copyOf(credentials.keySet()));
        assertEquals(KEY, credentials.get("eu.gcr.io"));
        assertEquals(ghcr.credential(), credentials.get("ghcr.io"));
    }

    @Test
    void readsTheKeyFileWithoutItsFinalNewlines() {
        var privateKey = Base64.getEncoder().encodeToString("{\"a\":1}\n\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("{\"a\":1}", SecretContent.keyFileJson(privateKey));
    }

    @Test
    void theShapeIgnoresPasswordsButNotServersUsernamesOrEmails() {
        var shape = SecretContent.shape(Map.of("eu.gcr.io", KEY));

        assertEquals(
                shape,
                SecretContent.shape(Map.of("eu.gcr.io", RegistryCredential.jsonKey("another key", Optional.empty()))));
        assertNotEquals(shape, SecretContent.shape(Map.of("gcr.io", KEY)));
        assertNotEquals(
                shape,
                SecretContent.shape(Map.of(
                        "eu.gcr.io", new RegistryCredential("oauth2accesstoken", KEY.password(), Optional.empty()))));
        assertNotEquals(
                shape,
                SecretContent.shape(Map.of(
                        "eu.gcr.io", RegistryCredential.jsonKey(KEY.password(), Optional.of("ops@acme.example")))));
        assertEquals(16, shape.length());
    }

    @Test
    void describesAnEntryByItsHostAndGrant() {
        assertEquals(
                Map.of(
                        "entry",
                        "eu.gcr.io",
                        "host",
                        "eu.gcr.io",
                        "role",
                        "roles/artifactregistry.reader",
                        "resource",
                        "projects/acme-dev/locations/europe/repositories/eu.gcr.io"),
                ArtifactRepository.parse("eu.gcr.io", "acme-dev").description());
        assertEquals(
                Map.of("entry", "ghcr.io", "host", "ghcr.io"),
                OtherRegistry.of("ghcr.io", "bot", "pw", Optional.empty()).description());
    }

    @Test
    void encodesTheDockerConfigAsSecretDataIs() {
        var credentials = Map.of("eu.gcr.io", KEY);

        assertEquals(
                DockerConfigJson.render(credentials),
                new String(Base64.getDecoder().decode(DockerConfigJson.encoded(credentials)), StandardCharsets.UTF_8));
    }
}
