package registrypullaccess.pullsecret;

import org.junit.jupiter.api.Test;
import registrypullaccess.Golden;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerConfigJsonTest {

    private static final RegistryCredential KEY = RegistryCredential.jsonKey(Golden.keyJson(), Optional.empty());

    @Test
    void writesWhatKubectlWritesForOneHost() {
        assertEquals(Golden.read("eu.gcr.io.json"), DockerConfigJson.render(Map.of("eu.gcr.io", KEY)));
    }

    @Test
    void writesTheEmailLikeDockerEmail() {
        var withEmail = RegistryCredential.jsonKey(Golden.keyJson(), Optional.of("platform-team@acme.example"));

        assertEquals(Golden.read("eu.gcr.io-with-email.json"), DockerConfigJson.render(Map.of("eu.gcr.io", withEmail)));
    }

    @Test
    void escapesStringsExactlyAsGoDoes() {
        var password = "<a href=\"x\">&</a> \\ \t \u0007 \b \f \r \u2028 \u2029 \u007f é";

        assertEquals(
                Golden.read("escaping.json"),
                DockerConfigJson.render(
                        Map.of("registry.example", RegistryCredential.jsonKey(password, Optional.empty()))));
    }

    @Test
    void givesEveryHostItsOwnEntryInSortedOrder() {
        var credentials = new LinkedHashMap<String, RegistryCredential>();
        credentials.put("eu.gcr.io", KEY);
        credentials.put("europe-west1-docker.pkg.dev", KEY);
        credentials.put("asia.gcr.io", KEY);

        var json = DockerConfigJson.render(credentials);

        assertTrue(json.startsWith("{\"auths\":{\"asia.gcr.io\":"), json);
        assertTrue(json.indexOf("\"eu.gcr.io\"") < json.indexOf("\"europe-west1-docker.pkg.dev\""), json);
        assertEquals(
                entryOf(Golden.read("europe-west1-docker.pkg.dev.json")),
                entryOf(DockerConfigJson.render(Map.of("europe-west1-docker.pkg.dev", KEY))));
    }

    @Test
    void authIsBase64OfUsernameColonPassword() {
        var json =
                DockerConfigJson.render(Map.of("gcr.io", new RegistryCredential("_json_key", "p:w", Optional.empty())));
        var expected = Base64.getEncoder().encodeToString("_json_key:p:w".getBytes(StandardCharsets.UTF_8));

        assertTrue(json.endsWith("\"auth\":\"" + expected + "\"}}}"), json);
    }

    @Test
    void credentialNeverPrintsItsPassword() {
        var credential = RegistryCredential.jsonKey("{\"private_key\":\"SECRET\"}", Optional.empty());

        assertFalse(credential.toString().contains("SECRET"), credential.toString());
        assertTrue(credential.toString().contains("_json_key"));
    }

    /** The value of the only auths entry, whatever its server. */
    private static String entryOf(String dockerConfigJson) {
        return dockerConfigJson.substring(dockerConfigJson.indexOf("\":{\"username\"") + 2);
    }
}
