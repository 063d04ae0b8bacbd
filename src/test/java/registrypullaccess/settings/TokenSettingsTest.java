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
        var home = "n".repeat(63);
        var problem = problemWith(() ->
                token("oidcIssuer", "https://oidc.acme.example", "homeNamespace", home, "secretName", "s".repeat(40)));

        assertTrue(problem.contains("at most 127 bytes"), problem);
        assertTrue(problem.contains("system:serviceaccount:" + home + ":"), "the home namespace mints: " + problem);
    }

    @Test
    void aListedNamespaceWithALongNameNoLongerMintsSoItsNameIsNoConcernOfGoogles() {
        var settings = token(
                "oidcIssuer",
                "https://oidc.acme.example",
                "namespaces",
                "[\"" + "n".repeat(63) + "\"]",
                "secretName",
                "s".repeat(40));

        assertEquals(List.of("n".repeat(63)), settings.namespaces());
    }

    @Test
    void listedTokenModeTakesAHomeNamespaceToMintInAndKeyModeRefusesOne() {
        var coverage = token("gkeCluster", GKE, "homeNamespace", "pulls").coverage();

        assertEquals(new Coverage.Listed(Coverage.Listed.DEFAULT_NAMESPACES, "pulls"), coverage);
        assertTrue(problemWith(() -> Fixtures.fromConfig("homeNamespace", "pulls"))
                .contains("only applies with registry-pull-access:allNamespaces true, a "
                        + "registry-pull-access:namespaceSelector or registry-pull-access:credentials token"));
        assertTrue(problemWith(() -> token("gkeCluster", GKE, "homeNamespace", "default"))
                .contains("\"default\" is every cluster's namespace"));
    }

    @Test
    void refusesAHomeNamespaceThatIsAlsoListed() {
        var problem =
                problemWith(() -> token("gkeCluster", GKE, "namespaces", "[\"team-a\",\"registry-pull-access\"]"));

        assertTrue(problem.contains("lists \"registry-pull-access\", the home namespace"), problem);
    }

    /** {@code count} namespace names of the longest kind, 63 characters each: 66 bytes each in the store. */
    private static String longNames(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "\"" + "n".repeat(58) + String.format("%05d", i) + "\"")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @Test
    void refusesMoreNamespacesThanOneStoreObjectCanNameSayingWhichLimitAndTheWaysOut() {
        var problem = problemWith(() -> token("gkeCluster", GKE, "namespaces", longNames(16_000)));

        assertTrue(problem.contains("16000 namespaces, 1056000 bytes of names"), problem);
        assertTrue(problem.contains("etcd's limit of 1.5 MiB per object"), problem);
        assertTrue(problem.contains("namespaceSelector") && problem.contains("several stacks"), problem);
        assertEquals(
                15_000,
                token("gkeCluster", GKE, "namespaces", longNames(15_000))
                        .namespaces()
                        .size(),
                "990000 bytes of names fit");
    }

    @Test
    void refusesAStoreNameLongerThanKubernetesTakes() {
        var problem = problemWith(
                () -> token("gkeCluster", GKE, "homeNamespace", "h".repeat(60), "secretName", "s".repeat(200)));

        assertTrue(problem.contains("longer than Kubernetes' 253 characters"), problem);
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
