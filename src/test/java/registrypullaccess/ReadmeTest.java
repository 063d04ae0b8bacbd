package registrypullaccess;

import registrypullaccess.offline.StackFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the README's promises checkable: its configuration table and its test command. */
class ReadmeTest {

    private static final Pattern CONFIG_ROW = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| ");

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void configurationTableListsExactlyTheKeysOfPulumiYaml() throws IOException {
        var section = readme().split("## Configuration")[1].split("\n## ")[0];
        var documented = new LinkedHashSet<String>();
        var matcher = CONFIG_ROW.matcher(section);
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }

        var keys = new LinkedHashSet<>(StackFilesTest.projectConfig().keySet());
        keys.addAll(StackFilesTest.UNTYPED_KEYS);
        assertEquals(keys, documented);
    }

    @Test
    void everyStackExampleInTheReadmeIsValid(@TempDir Path dir) throws IOException {
        var examples = Pattern.compile("(?s)```yaml\n(config:\n.*?)```").matcher(readme());
        var count = 0;
        while (examples.find()) {
            var file = dir.resolve("Pulumi.example" + count++ + ".yaml");
            Files.writeString(file, examples.group(1));
            Settings.fromConfig(StackFile.load(file).config());
        }
        assertTrue(count > 0, "the README shows no stack example");
    }

    @Test
    void ciRunsTheTestCommandTheReadmeGives() throws IOException {
        var command = "./mvnw -B test";

        assertTrue(readme().contains(command));
        assertTrue(Files.readString(Path.of(".ci/run")).lines().anyMatch(line -> line.strip().equals(command)));
    }
}
