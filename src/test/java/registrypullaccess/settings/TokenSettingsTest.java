package registrypullaccess.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.Fixtures;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credentials key and token mode's own keys, read and refused. */
class TokenSettingsTest {

    private static final String GKE = "projects/acme-dev/locations/europe-west1/clusters/dev";

    private static Settings token(String... more) {
        var keysAndValues = new ArrayList<>(List.of("credentials", "token"));
        keysAndValues.addAll(List.of(more));
        return Fixtures.fromConfig(keysAndValues.toArray(String[]::new));
    }

    private static String problemWith(Runnable read) {
        var error = assertThrows(InvalidSettingsException.class, read::run);
        assertEquals(1, error.problems().size(), error.getMessage());
        return error.problems().get(0);
    }

    @Test
    void readsTokenModeOnGkeWithTheDefaults() {
        var puller = (Puller.Token) token("gkeCluster", GKE).puller();

        assertEquals(new TokenIdentity.Gke("acme-dev", "europe-west1", "dev"), puller.identity());
        assertEquals(30, puller.refreshMinutes());
        assertEquals("image-puller", puller.serviceAccountId());
        assertEquals(false, puller.installExternalSecrets());
    }

    @Test
    void readsTokenModeOnAnyClusterWithTheIssuersKeys() {
        var jwks = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}";
        var puller = (Puller.Token) token(
                        "oidcIssuer",
                        "https://oidc.acme.example/k",
                        "oidcJwks",
                        jwks,
                        "tokenRefreshMinutes",
                        "15",
                        "installExternalSecrets",
                        "true")
                .puller();

        assertEquals(
                new TokenIdentity.Oidc("https://oidc.acme.example/k", java.util.Optional.of(jwks)), puller.identity());
        assertEquals(15, puller.refreshMinutes());
        assertTrue(puller.installExternalSecrets());
    }

    @Test
    void keylessStillMeansNodeAndSaysItIsDeprecated() {
        var settings =
                Fixtures.fromConfig("keyless", "true", "nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com");

        assertInstanceOf(Puller.Node.class, settings.puller());
        assertTrue(
                settings.warnings().stream().anyMatch(warning -> warning.contains("keyless is deprecated")),
                settings.warnings().toString());
    }

    @Test
    void rejectsKeylessThatContradictsCredentials() {
        assertTrue(problemWith(() -> Fixtures.fromConfig("keyless", "true", "credentials", "token"))
                .contains("keyless means credentials node"));
    }

    @Test
    void rejectsACredentialsValueItDoesNotKnow() {
        assertTrue(problemWith(() -> Fixtures.fromConfig("credentials", "tokens"))
                .contains("\"tokens\" is not key, token or node"));
    }

    @Test
    void tokenModeNeedsExactlyOneWayToKnowTheCluster() {
        assertTrue(problemWith(() -> token()).contains("needs exactly one of"));
        assertTrue(problemWith(() -> token("gkeCluster", GKE, "oidcIssuer", "https://oidc.acme.example"))
                .contains("needs exactly one of"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "projects/acme-dev/clusters/dev", "projects/Acme/locations/eu/clusters/dev"})
    void rejectsAGkeClusterThatIsNotAClusterPath(String cluster) {
        assertTrue(problemWith(() -> token("gkeCluster", cluster)).contains("is not a GKE cluster"));
    }

    @Test
    void rejectsKeysOnGkeThatOnlyAnIssuerNeeds() {
        assertTrue(problemWith(() -> token("gkeCluster", GKE, "oidcJwks", "{\"keys\":[]}"))
                .contains("oidcJwks is only used with"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://oidc.acme.example",
                "https://user:pw@oidc.acme.example",
                "https://oidc.acme.example/?a=b",
                "https://oidc.acme.example/#x",
                "oidc.acme.example"
            })
    void rejectsAnIssuerThatIsNotExactlyAnHttpsUrl(String issuer) {
        assertTrue(problemWith(() -> token("oidcIssuer", issuer)).contains("is not an https URL"));
    }

    @Test
    void rejectsAKeySetThatIsNotOne() {
        assertTrue(problemWith(() -> token("oidcIssuer", "https://oidc.acme.example", "oidcJwks", "[]"))
                .contains("is not a JSON Web Key Set"));
    }

    @Test
    void rejectsAKeySetWithAPrivateKeyInIt() {
        var problem = problemWith(() -> token(
                "oidcIssuer",
                "https://oidc.acme.example",
                "oidcJwks",
                "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"d\":\"c2VjcmV0\"}]}"));

        assertTrue(problem.contains("holds a private key"), problem);
        assertTrue(!problem.contains("c2VjcmV0"), "the message must not repeat the key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", "46", "0"})
    void rejectsARefreshThatDoesNotComeWellBeforeTheTokenExpires(String minutes) {
        assertTrue(problemWith(() -> token("gkeCluster", GKE, "tokenRefreshMinutes", minutes))
                .contains("is not a number of minutes from 5 to 45"));
    }

    @Test
    void rejectsKeysOfKeyModeInTokenModeAndTheOtherWayRound() {
        assertTrue(problemWith(() -> token("gkeCluster", GKE, "keyRotationDays", "30"))
                .contains("keyRotationDays does nothing unless registry-pull-access:credentials is key"));
        assertTrue(problemWith(() -> token("gkeCluster", GKE, "adopt", "true"))
                .contains("adopt does nothing unless registry-pull-access:credentials is key"));
        assertTrue(problemWith(() -> Fixtures.fromConfig("gkeCluster", GKE))
                .contains("gkeCluster does nothing unless registry-pull-access:credentials is token"));
    }

    @Test
    void rejectsAPoolIdGoogleReservesOutsideGke() {
        assertTrue(problemWith(() -> token("oidcIssuer", "https://oidc.acme.example", "serviceAccountId", "gcp-puller"))
                .contains("Google reserves for workload identity pools"));
    }

    @Test
    void rejectsAMinterWhoseTokenSubjectIsLongerThanGoogleTakes() {
        var namespace = "n".repeat(63);
        var problem = problemWith(() -> token(
                "oidcIssuer",
                "https://oidc.acme.example",
                "namespaces",
                "[\"" + namespace + "\"]",
                "secretName",
                "s".repeat(40)));

        assertTrue(problem.contains("at most 127 bytes"), problem);
    }

    @Test
    void tokenModeNeedsAGoogleRegistryToMintFor() {
        var error = assertThrows(
                InvalidSettingsException.class,
                () -> Settings.fromConfig(ConfigSource.of(
                        java.util.Map.of(
                                "gcp:project",
                                "acme-dev",
                                "registry-pull-access:credentials",
                                "token",
                                "registry-pull-access:gkeCluster",
                                GKE,
                                "registry-pull-access:registries",
                                "[]",
                                "registry-pull-access:otherRegistries",
                                "[{\"host\":\"ghcr.io\",\"username\":\"u\",\"password\":\"p\"}]"),
                        java.util.Set.of("registry-pull-access:otherRegistries"))));

        assertTrue(
                error.getMessage().contains("mints tokens for Google's registries, and none is configured"),
                error.getMessage());
    }

    @Test
    void refusesDefaultAsTheHomeNamespaceItWouldOwn() {
        assertTrue(problemWith(() -> Fixtures.fromConfig("allNamespaces", "true", "homeNamespace", "default"))
                .contains("\"default\" is every cluster's namespace"));
    }
}
