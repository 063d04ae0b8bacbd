package registrypullaccess.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.App;
import registrypullaccess.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int render(Path file, OfflineRun run) {
        return Render.print(
                file,
                run,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static OfflineRun run(Map<String, String> config) {
        return OfflineRun.run(config, Set.of(), App::stack);
    }

    /** A stack of the test's own, so that editing the repository's stack files cannot break it. */
    private static final Path STACK = Path.of("src/test/resources/render/Pulumi.render.yaml");

    @Test
    void printsEveryResourceAsATreeWithSecretsMasked() throws IOException {
        var file = STACK;
        var stack = StackFile.load(file);

        assertEquals(0, render(file, OfflineRun.run(stack.values(), stack.secretKeys(), App::stack)));

        var printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("not a diff against what exists"), printed);
        assertTrue(printed.contains("└── registry-pull-access:index:PullAccess  pull-access"), printed);
        assertTrue(printed.contains("role: roles/artifactregistry.reader"), printed);
        assertTrue(printed.contains("metadata.namespace: sandbox"), printed);
        assertTrue(printed.contains("data: [secret]"), printed);
        assertFalse(
                printed.contains("PRIVATE KEY") || printed.contains("_json_key") || printed.contains("auths"), printed);
        assertTrue(
                printed.contains("13 resources (the stack and the component included), dependency graph depth 5."),
                printed);
    }

    @Test
    void failsWithTheProgramsOwnMessageOnBadConfig() {
        var code = render(Path.of("bad.yaml"), run(Map.of("registry-pull-access:registries", "[\"eu.gcr.io\"]")));

        assertEquals(1, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        var printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("error: The stack configuration is not valid; nothing was deployed:"), printed);
        assertTrue(printed.contains("gcp:project is not set"), printed);
    }

    @Test
    void rejectsAMisspeltKeyUnderTheMockEngine() {
        var config = new java.util.HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put("registry-pull-access:namespace", "[\"team-a\"]");

        assertEquals(1, render(Path.of("bad.yaml"), run(config)));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("did you mean `namespaces`?"),
                err.toString(StandardCharsets.UTF_8));
    }

    private int renderFile(Path file, String... more) {
        var args = new java.util.ArrayList<>(java.util.List.of(file.toString()));
        args.addAll(java.util.List.of(more));
        return Render.run(
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "config:\n  a:list: [a\n",
                "config:\n\ta:b: c\n",
                "config:\n  a:url: !!java.net.URL [\"http://example.com\"]\n"
            })
    void exitsWithTwoAndOnlyTheFileAndLineOnMalformedYaml(String yaml, @TempDir Path dir) throws IOException {
        var file = dir.resolve("Pulumi.bad.yaml");
        Files.writeString(file, yaml);

        assertEquals(2, renderFile(file));

        assertEquals("", out.toString(StandardCharsets.UTF_8));
        var printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith(file + ":2:") || printed.startsWith(file + ":3:"), printed);
        assertEquals(1, printed.lines().count(), printed);
    }

    @Test
    void exitsWithOneAndOnlyTheProblemsOnInvalidConfig(@TempDir Path dir) throws IOException {
        var file = dir.resolve("Pulumi.bad.yaml");
        Files.writeString(file, "config:\n  registry-pull-access:registries: [eu.gcr.io]\n");

        assertEquals(1, renderFile(file));

        assertEquals("", out.toString(StandardCharsets.UTF_8));
        var printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("error: The stack configuration is not valid"), printed);
        assertFalse(printed.contains("\tat "), printed);
    }

    @Test
    void showsTokenModeWithItsOperatorObjectsAndNoKey() {
        assertEquals(0, renderFile(Path.of("src/test/resources/render/Pulumi.token.yaml")));

        var printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(
                printed.contains(
                        "kubernetes:external-secrets.io/v1:ExternalSecret  pull-access/team-a/external-secret"),
                printed);
        assertTrue(printed.contains("kubernetes:generators.external-secrets.io/v1alpha1:GCRAccessToken"), printed);
        assertTrue(printed.contains("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"), printed);
        assertTrue(printed.contains("externalSecretsOperator: v2.9.0, installed by this stack"), printed);
        assertFalse(printed.contains("gcp:serviceaccount/key:Key"), printed);
    }

    @Test
    void revealsATokenStackWhoseOnlyDockerConfigIsAnExternalSecretsTemplate() {
        assertEquals(
                0,
                renderFile(Path.of("src/test/resources/render/Pulumi.token.yaml"), "--reveal=true"),
                err.toString(StandardCharsets.UTF_8));

        assertTrue(out.toString(StandardCharsets.UTF_8).contains("{{ .password | toJson }}"));
    }

    @Test
    void showsTheResourceOptionsThatAreSet() {
        var config = new java.util.HashMap<>(Fixtures.manyNamespaces(1, "eu.gcr.io"));
        config.put("registry-pull-access:protect", "true");
        config.put("registry-pull-access:adopt", "true");

        assertEquals(0, render(Path.of("Pulumi.test.yaml"), run(config)));

        var printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("options.protect: true"), printed);
        assertTrue(printed.contains("options.import: projects/acme-dev/serviceAccounts/"), printed);
        assertTrue(printed.contains("options.ignoreChanges: [displayName, description]"), printed);
        assertTrue(printed.contains("options.retainOnDelete: true"), printed);
        assertFalse(printed.contains("options.deleteBeforeReplace"), "only options that are set: " + printed);
    }

    @Test
    void revealsTheSecretsItMadeButOnlyThePlaceholderOfAnEncryptedValue(@TempDir Path dir) throws IOException {
        var file = dir.resolve("Pulumi.reveal.yaml");
        Files.writeString(file, """
                config:
                  gcp:project: acme-dev
                  registry-pull-access:registries: [eu.gcr.io]
                  registry-pull-access:otherRegistries:
                    - host: ghcr.io
                      username: acme-bot
                      password:
                        secure: v1:c2VjcmV0Cg==
                """);

        assertEquals(0, renderFile(file, "--reveal=true"));

        var printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("\"username\":\"_json_key\""), printed);
        assertTrue(printed.contains("OFFLINE-PLACEHOLDER-NOT-A-KEY"), printed);
        assertTrue(printed.contains("\"password\":\"" + StackFile.ENCRYPTED_PLACEHOLDER + "\""), printed);
        assertFalse(printed.contains("v1:c2VjcmV0Cg=="), printed);
        assertTrue(printed.contains("never decrypted"), printed);
    }

    @Test
    void masksSecretsUnlessAskedToReveal(@TempDir Path dir) throws IOException {
        assertEquals(0, renderFile(Path.of("Pulumi.dev.yaml"), "--reveal=false"));

        var printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("data: [secret]"), printed);
        assertFalse(printed.contains("_json_key"), printed);
    }

    @Test
    void dependencyDepthStaysTheSameAsNamespacesGrow() {
        for (var namespaces : new int[] {1, 25}) {
            var depth = Render.dependencyDepth(
                    run(Fixtures.manyNamespaces(namespaces, "eu.gcr.io")).resources());

            // grants, owner ConfigMap, Secret, ServiceAccount patch, pull check: the same for any N
            assertEquals(5, depth, namespaces + " namespaces");
        }
    }
}
