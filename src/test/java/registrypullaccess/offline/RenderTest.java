package registrypullaccess.offline;

import org.junit.jupiter.api.Test;
import registrypullaccess.App;
import registrypullaccess.Fixtures;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        return Render.print(file, run, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static OfflineRun run(Map<String, String> config) {
        return OfflineRun.run(config, Set.of(), App::stack);
    }

    @Test
    void printsEveryResourceAsATreeWithSecretsMasked() throws IOException {
        var file = Path.of("Pulumi.dev.yaml");
        var stack = StackFile.load(file);

        assertEquals(0, render(file, OfflineRun.run(stack.values(), stack.secretKeys(), App::stack)));

        var printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("not a diff against what exists"), printed);
        assertTrue(printed.contains("└── registry-pull-access:index:PullAccess  pull-access"), printed);
        assertTrue(printed.contains("role: roles/artifactregistry.reader"), printed);
        assertTrue(printed.contains("metadata.namespace: sandbox"), printed);
        assertTrue(printed.contains("data: [secret]"), printed);
        assertFalse(printed.contains("PRIVATE KEY") || printed.contains("_json_key") || printed.contains("auths"),
                printed);
        assertTrue(printed.contains("10 resources (the stack and the component included), dependency graph depth 4."),
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
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("did you mean `namespaces`?"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dependencyDepthStaysTheSameAsNamespacesGrow() {
        for (var namespaces : new int[]{1, 25}) {
            var depth = Render.dependencyDepth(run(Fixtures.manyNamespaces(namespaces, "eu.gcr.io")).resources());

            assertEquals(4, depth, namespaces + " namespaces");
        }
    }
}
