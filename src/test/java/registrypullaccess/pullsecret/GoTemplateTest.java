package registrypullaccess.pullsecret;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Go template harness ({@link GoTemplate}) runs ESO's engine for real, and which
 * {@code .dockerconfigjson} template writes exactly what
 * {@code kubectl create secret docker-registry --docker-username=oauth2accesstoken --docker-password=TOKEN}
 * writes, from the data ESO's {@code GCRAccessToken} generator gives ({@code username}, {@code password}).
 *
 * <p>kubectl-identical, for any token: the program's own template, {@link TokenTemplate}.
 *
 * <p>sprig's {@code toJson} is Go's {@code json.Marshal}, the encoder kubectl uses: it quotes and escapes
 * like kubectl (quotes, backslashes, {@code < > &} and U+2028/U+2029 as Unicode escapes). Only control
 * characters differ between Go releases ({@code \b}/{@code \f} short forms since Go 1.22; this harness is
 * Go 1.19, kubectl and ESO are built with newer Go), and an access token has none. Quoting by hand ({@code "{{ .password }}"}) matches kubectl only while the token
 * needs no escaping, and building the object with {@code dict ... | toJson} sorts its fields
 * ({@code auth}, {@code password}, {@code username}), which kubectl does not.
 */
class GoTemplateTest {

    static final String USERNAME = "oauth2accesstoken";

    /** Shaped like a Google access token: "ya29." and then letters, digits, '_', '-' and '.'. */
    static final String TOKEN = sampleToken();

    /** Characters JSON must escape, and those Go's encoder escapes for HTML safety. */
    static final String ESCAPING_TOKEN = "ya29.\"quoted\" back\\slash <a href=x>&amp;</a> \u2028\u2029 é";

    /** Quotes by hand: the same bytes as kubectl only while the token needs no JSON escaping. */
    static String handQuotedTemplate(String host) {
        return "{\"auths\":{\"" + host + "\":{\"username\":\"{{ .username }}\",\"password\":\"{{ .password }}\","
                + "\"auth\":\"{{ printf \"%s:%s\" .username .password | b64enc }}\"}}}";
    }

    @Test
    void b64encGivesBase64OfTheToken() {
        var rendered = GoTemplate.execute(Map.of("token", "{{ .token | b64enc }}"), Map.of("token", TOKEN));

        assertEquals(
                Map.of("token", Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8))), rendered);
    }

    @Test
    void rendersEveryTemplateWithTheSameData() {
        var rendered = GoTemplate.execute(
                Map.of("a", "{{ .username }}", "b", "{{ .password | upper }}", "c", "literal"),
                Map.of("username", USERNAME, "password", "secret"));

        assertEquals(Map.of("a", USERNAME, "b", "SECRET", "c", "literal"), rendered);
    }

    @Test
    void aMissingKeyIsAnErrorAsInEso() {
        var error = assertThrows(
                GoTemplate.TemplateException.class,
                () -> GoTemplate.execute(Map.of(".dockerconfigjson", "{{ .token }}"), Map.of("password", TOKEN)));

        assertTrue(error.getMessage().contains("map has no entry for key \"token\""), error.getMessage());
        assertTrue(error.getMessage().contains(".dockerconfigjson"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"env", "expandenv", "getHostByName", "noSuchFunction"})
    void functionsEsoRemovesOrNeverHadDoNotParse(String function) {
        var error = assertThrows(
                GoTemplate.TemplateException.class,
                () -> GoTemplate.execute(Map.of("x", "{{ " + function + " \"HOME\" }}"), Map.of()));

        assertTrue(error.getMessage().contains("function \"" + function + "\" not defined"), error.getMessage());
    }

    @Test
    void aTemplateThatDoesNotParseNamesTheError() {
        var error = assertThrows(
                GoTemplate.TemplateException.class,
                () -> GoTemplate.execute(Map.of("x", "{{ .password "), Map.of("password", TOKEN)));

        assertTrue(error.getMessage().contains("does not parse"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"eu.gcr.io", "europe-west1-docker.pkg.dev"})
    void theToJsonTemplateWritesWhatKubectlWritesForOneHost(String host) {
        for (var token : List.of(TOKEN, ESCAPING_TOKEN)) {
            assertEquals(
                    kubectl(host, USERNAME, token),
                    render(TokenTemplate.dockerConfigJson(List.of(host), Optional.empty()), token),
                    token);
        }
    }

    @Test
    void theToJsonTemplateWritesWhatDockerConfigJsonWritesForTwoHosts() {
        var hosts = List.of("europe-west1-docker.pkg.dev", "eu.gcr.io");
        for (var token : List.of(TOKEN, ESCAPING_TOKEN)) {
            var credentials = new TreeMap<String, RegistryCredential>();
            hosts.forEach(host -> credentials.put(host, new RegistryCredential(USERNAME, token, Optional.empty())));

            assertEquals(
                    DockerConfigJson.render(credentials),
                    render(TokenTemplate.dockerConfigJson(hosts, Optional.empty()), token),
                    token);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ops@acme.example", "{{ .password }}@acme.example", "a<b>&\"c\"@acme.example"})
    void theTemplateWritesTheEmailAsKubectlDoesEvenWhenItLooksLikeAnAction(String email) {
        var hosts = List.of("eu.gcr.io", "gcr.io");
        var credentials = new TreeMap<String, RegistryCredential>();
        hosts.forEach(host -> credentials.put(host, new RegistryCredential(USERNAME, TOKEN, Optional.of(email))));

        assertEquals(
                DockerConfigJson.render(credentials),
                render(TokenTemplate.dockerConfigJson(hosts, Optional.of(email)), TOKEN));
    }

    @Test
    void quotingByHandMatchesKubectlOnlyWhileTheTokenNeedsNoEscaping() {
        assertEquals(kubectl("eu.gcr.io", USERNAME, TOKEN), render(handQuotedTemplate("eu.gcr.io"), TOKEN));

        var broken = render(handQuotedTemplate("eu.gcr.io"), ESCAPING_TOKEN);
        assertNotEquals(kubectl("eu.gcr.io", USERNAME, ESCAPING_TOKEN), broken);
        assertThrows(RuntimeException.class, () -> JsonParser.parseString(broken), broken);
    }

    @Test
    void aDictThroughToJsonSortsTheFieldsUnlikeKubectl() {
        var template = "{{ dict \"auths\" (dict \"eu.gcr.io\" (dict \"username\" .username \"password\" .password"
                + " \"auth\" (printf \"%s:%s\" .username .password | b64enc))) | toJson }}";

        var rendered = render(template, TOKEN);
        var kubectl = kubectl("eu.gcr.io", USERNAME, TOKEN);

        assertNotEquals(kubectl, rendered);
        assertEquals(JsonParser.parseString(kubectl), JsonParser.parseString(rendered));
        assertTrue(rendered.startsWith("{\"auths\":{\"eu.gcr.io\":{\"auth\":"), rendered);
    }

    private static String render(String template, String token) {
        var data = Map.of("username", USERNAME, "password", token);
        return GoTemplate.execute(Map.of(".dockerconfigjson", template), data).get(".dockerconfigjson");
    }

    /** The {@code .dockerconfigjson} kubectl writes (client only, offline), decoded from the Secret's data. */
    static String kubectl(String server, String username, String password) {
        try {
            var process = new ProcessBuilder(
                            "kubectl",
                            "create",
                            "secret",
                            "docker-registry",
                            "golden",
                            "--docker-server=" + server,
                            "--docker-username=" + username,
                            "--docker-password=" + password,
                            "--dry-run=client",
                            "-o",
                            "json")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl failed: " + out);
            }
            var data = JsonParser.parseString(out)
                    .getAsJsonObject()
                    .getAsJsonObject("data")
                    .get(".dockerconfigjson")
                    .getAsString();
            return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed on PATH for this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sampleToken() {
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.";
        var random = new Random(20261128);
        var token = new StringBuilder("ya29.c.b0Aaek");
        for (int i = 0; i < 200; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }
}
