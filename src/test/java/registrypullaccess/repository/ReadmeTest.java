package registrypullaccess.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import registrypullaccess.offline.StackFile;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the documentation's promises checkable: the README's configuration table and commands, and in the
 * README and every Markdown file under docs/, the stack examples and the relative links.
 */
class ReadmeTest {

    private static final Pattern CONFIG_ROW = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| ");
    private static final Pattern STACK_EXAMPLE = Pattern.compile("(?s)```yaml\n(config:\n.*?)```");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^```.*?^```[^\n]*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\n]*`");
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");
    private static final Pattern URL_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    /** Room for the README to grow by a few sections: beyond this it is a manual, and belongs in docs/. */
    private static final int README_MAX_LINES = 220;

    /** {@code pulumi config set [flags] [PROJECT:]KEY '[...]'}, without {@code --path}. */
    private static final Pattern CONFIG_SET_LIST =
            Pattern.compile("pulumi config set\\s+(?:--(?!path)\\S+\\s+)*(?:registry-pull-access:)?(\\w+)\\s+'?\\[");

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    /** README.md and every Markdown file git tracks under docs/, in a stable order. */
    private static List<Path> documents() throws IOException {
        var documents = new ArrayList<>(List.of(Path.of("README.md")));
        documents.addAll(TrackedFiles.matching(Pattern.compile("docs/.*\\.md")));
        return documents;
    }

    @Test
    void configurationTableListsExactlyTheKeysOfPulumiYaml() throws IOException {
        var section = readme().split("## Configuration", -1)[1].split("\n## ", -1)[0];
        var documented = new LinkedHashSet<String>();
        var matcher = CONFIG_ROW.matcher(section);
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }

        var keys = new LinkedHashSet<>(StackFilesTest.projectConfig().keySet());
        keys.addAll(ConfigKeys.UNTYPED);
        assertEquals(keys, documented);
    }

    /**
     * {@code pulumi config set KEY '[...]'} stores a string at pulumi v3.253.0 (pkg/cmd/pulumi/config/config.go: no
     * {@code --json}), which the next preview refuses for a key Pulumi.yaml types as an array
     * (sdk/go/common/workspace/config.go, validateStackConfigValue): the docs give such lists in the stack file.
     */
    @Test
    void noCommandInTheDocsSetsAListKeyToAString() throws IOException {
        var lists = StackFilesTest.projectConfig().entrySet().stream()
                .filter(entry -> "array".equals(entry.getValue().get("type")))
                .map(Map.Entry::getKey)
                .toList();
        assertTrue(lists.contains("serviceAccounts"), lists.toString());
        var wrong = new ArrayList<String>();
        for (var document : documents()) {
            var commands = CONFIG_SET_LIST.matcher(Files.readString(document));
            while (commands.find()) {
                if (lists.contains(commands.group(1))) {
                    wrong.add(document + ": " + commands.group());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyStackExampleInTheDocsIsValid(@TempDir Path dir) throws IOException {
        var count = 0;
        for (var document : documents()) {
            var examples = STACK_EXAMPLE.matcher(Files.readString(document));
            while (examples.find()) {
                var file = dir.resolve("Pulumi.example" + count++ + ".yaml");
                Files.writeString(file, examples.group(1));
                try {
                    Settings.fromConfig(StackFile.load(file).config());
                } catch (RuntimeException e) {
                    throw new AssertionError("a stack example in " + document + " is not valid: " + e.getMessage(), e);
                }
            }
        }
        // Guards the pattern itself: if it stopped matching, this test would pass without checking anything.
        assertTrue(count > 0, "the README and docs/ show no stack example");
    }

    @Test
    void everyRelativeLinkInTheDocsPointsToAFile() throws IOException {
        var broken = new ArrayList<String>();
        for (var document : documents()) {
            var links = LINK.matcher(prose(Files.readString(document)));
            while (links.find()) {
                var link = links.group(1);
                if (URL_SCHEME.matcher(link).find()) {
                    continue;
                }
                var hash = link.indexOf('#');
                var path = hash < 0 ? link : link.substring(0, hash);
                var target = path.isEmpty()
                        ? document
                        : document.resolveSibling(path).normalize();
                if (!Files.exists(target)) {
                    broken.add(document + ": " + link + " (no file " + target + ")");
                } else if (hash >= 0
                        && target.toString().endsWith(".md")
                        && !anchors(Files.readString(target)).contains(link.substring(hash + 1))) {
                    broken.add(document + ": " + link + " (no such heading in " + target + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theReadmeHasAtMost220Lines() throws IOException {
        var lines = readme().lines().count();

        assertTrue(
                lines <= README_MAX_LINES, "README.md has " + lines + " lines; move detail into docs/ and link to it");
    }

    @Test
    void ciRunsTheTestCommandTheReadmeGives() throws IOException {
        var command = "./mvnw -B test";

        assertTrue(readme().contains(command));
        assertTrue(Files.readString(Path.of(".ci/run"))
                .lines()
                .anyMatch(line -> line.strip().equals(command)));
    }

    @Test
    void ciRunsTheRenderCommandTheReadmeGives() throws IOException {
        var command = "./mvnw -q test-compile exec:java@render -Dstack=stacks/Pulumi.prod.yaml";

        assertTrue(readme().contains(command));
        assertTrue(Files.readString(Path.of(".ci/run")).lines().anyMatch(line -> line.startsWith(command + " ")));
    }

    /** The text outside code, where a link is a link: brackets in a shell command or a YAML list are not. */
    private static String prose(String markdown) {
        return INLINE_CODE
                .matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""))
                .replaceAll("");
    }

    /**
     * The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, and
     * a repeated heading numbered from -1.
     */
    static Set<String> anchors(String markdown) {
        var anchors = new LinkedHashSet<String>();
        var seen = new HashMap<String, Integer>();
        var headings = HEADING.matcher(FENCED_BLOCK.matcher(markdown).replaceAll(""));
        while (headings.find()) {
            var slug = headings.group(1)
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            var repeats = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
        }
        return anchors;
    }

    /** A claim that names its test names one that exists: `SomethingTest` or `SomethingTest.method`. */
    /**
     * tools/test-tools.sh installs Go and sprig only (kubectl must already be there), and only as root or through
     * password-less sudo: the README's sentence on the test tools says both.
     */
    @Test
    void theReadmeSaysWhichTestToolsAreInstalledAndHow() throws IOException {
        var script = Files.readString(Path.of("tools/test-tools.sh"));
        var packages = Pattern.compile("(?m)^packages=\\(([^)]*)\\)$").matcher(script);
        assertTrue(packages.find(), "tools/test-tools.sh lists no packages=(...)");
        assertEquals(
                List.of("golang-go", "golang-github-masterminds-sprig-dev"),
                List.of(packages.group(1).split(" ", -1)),
                "test-tools.sh installs something else now: update the README's sentence on the test tools");
        assertTrue(script.contains("sudo -n"), "test-tools.sh no longer needs password-less sudo");
        var sentence = readme().split("The tests also need", -1)[1].split("\n\n", -1)[0];
        assertTrue(sentence.contains("`kubectl`") && sentence.contains("nothing installs"), sentence);
        assertTrue(sentence.contains("root") && sentence.contains("password-less `sudo`"), sentence);
        assertFalse(sentence.contains("kubectl` (client only) and Go"), "kubectl is not installed: " + sentence);
    }

    @Test
    void everyTestTheDocsNameExists() throws IOException {
        var named = Pattern.compile("`([A-Z][A-Za-z]*Test)(?:\\.([a-z][A-Za-z]*))?`");
        var sources = new java.util.HashMap<String, String>();
        try (var files = Files.walk(Path.of("src/test/java"))) {
            for (var file :
                    files.filter(f -> f.toString().endsWith("Test.java")).toList()) {
                sources.put(file.getFileName().toString().replace(".java", ""), Files.readString(file));
            }
        }
        var missing = new java.util.ArrayList<String>();
        var count = 0;
        for (var doc : documents()) {
            var matcher = named.matcher(Files.readString(doc));
            while (matcher.find()) {
                count++;
                var source = sources.get(matcher.group(1));
                if (source == null || (matcher.group(2) != null && !source.contains(" " + matcher.group(2) + "("))) {
                    missing.add(doc + ": " + matcher.group());
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(count >= 10, "the docs name the tests that back their claims: " + count);
    }
}
