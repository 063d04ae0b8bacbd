package registrypullaccess;

import registrypullaccess.offline.StackFile;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.offline.OfflineRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GitHub workflows: every stack they deploy is valid, and they follow the rules we set for them. */
class WorkflowsTest {

    private static final Pattern STACK_FILE = Pattern.compile("(?:stacks/)?Pulumi\\.[a-z0-9-]+\\.yaml");
    private static final Pattern USES = Pattern.compile("(?m)^\\s*-?\\s*uses:\\s*(\\S+)(.*)$");
    private static final Pattern PINNED = Pattern.compile("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}");

    private static List<Path> files(String glob) throws IOException {
        var matcher = Path.of(".").getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> paths = Files.walk(Path.of(".github"))) {
            return paths.filter(path -> matcher.matches(Path.of(".").relativize(path))).sorted().toList();
        }
    }

    private static List<Path> workflows() throws IOException {
        return files(".github/workflows/*.yml");
    }

    private static Set<String> stackFilesReferenced() throws IOException {
        var referenced = new TreeSet<String>();
        for (var workflow : workflows()) {
            var matcher = STACK_FILE.matcher(Files.readString(workflow));
            while (matcher.find()) {
                referenced.add(matcher.group());
            }
        }
        return referenced;
    }

    @Test
    void everyStackFileTheWorkflowsDeployIsValid() throws IOException {
        var referenced = stackFilesReferenced();

        assertFalse(referenced.isEmpty());
        for (var file : referenced) {
            var stack = StackFile.load(Path.of(file));
            var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);
            assertEquals(List.of(), run.exceptions(), file);
        }
    }

    @Test
    void theWorkflowsCoverEveryStackFileInTheRepository() throws IOException {
        var inRepository = new TreeSet<String>();
        StackFilesTest.stackFiles().forEach(path -> inRepository.add(path.toString()));

        assertEquals(inRepository, stackFilesReferenced());
    }

    @Test
    void everyActionIsPinnedToACommitWithItsVersionInAComment() throws IOException {
        var files = new ArrayList<>(workflows());
        files.addAll(files(".github/actions/*/action.yml"));
        assertEquals(4, files.size(), files.toString());
        for (var file : files) {
            var matcher = USES.matcher(Files.readString(file));
            while (matcher.find()) {
                var action = matcher.group(1);
                if (action.startsWith("./")) {
                    continue;
                }
                assertTrue(PINNED.matcher(action).matches(), file + ": " + action + " is not pinned to a commit");
                assertTrue(matcher.group(2).matches("\\s*# v\\d+\\.\\d+\\.\\d+"), file + ": " + action
                        + " has no version comment");
            }
        }
    }

    @Test
    void everyJobSaysWhichPermissionsItNeeds() throws IOException {
        for (var workflow : workflows()) {
            var jobs = jobs(workflow);
            var topLevel = load(workflow).get("permissions");
            for (var job : jobs.entrySet()) {
                assertTrue(job.getValue().containsKey("permissions") || topLevel != null,
                        workflow + ": job " + job.getKey() + " has no permissions");
            }
        }
    }

    @Test
    void aRunningPulumiUpIsNeverCancelled() throws IOException {
        var deploy = jobs(Path.of(".github/workflows/deploy.yml"));

        assertEquals(Set.of("dev", "staging", "prod"), deploy.keySet());
        for (var job : deploy.entrySet()) {
            var concurrency = (Map<?, ?>) job.getValue().get("concurrency");
            assertEquals(false, concurrency.get("cancel-in-progress"), job.getKey());
            assertEquals(job.getKey(), job.getValue().get("environment"),
                    job.getKey() + " runs in its own GitHub environment, where reviewers can be required");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> jobs(Path workflow) throws IOException {
        return (Map<String, Map<String, Object>>) load(workflow).get("jobs");
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }
}
