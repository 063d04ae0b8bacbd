package registrypullaccess.repository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import registrypullaccess.App;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.StackFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example stack files that the README's "Choose your setup" table links, one per setup: each deploys offline
 * and declares what its row promises. They are starting points for a user's own stack, not stacks the workflows
 * deploy, so they carry no secrets provider (StackFilesTest's rules for the team's stacks do not apply).
 */
class ExampleStacksTest {

    private static final String DIRECTORY = "stacks/examples/";
    private static final Pattern EXAMPLE = Pattern.compile(Pattern.quote(DIRECTORY) + "Pulumi\\.[a-z0-9-]+\\.yaml");
    private static final Pattern SETUP_LINK = Pattern.compile("\\]\\((" + Pattern.quote(DIRECTORY) + "[^)#]+)\\)");

    /**
     * What a setup promises, as the kinds of resource its example must and must not declare (the last part of the
     * type token, e.g. {@code Key} for {@code gcp:serviceaccount/key:Key}).
     */
    record Setup(String file, Set<String> declares, Set<String> declaresNot) {

        @Override
        public String toString() {
            return file;
        }
    }

    static List<Setup> setups() {
        return List.of(
                new Setup(
                        "Pulumi.key.yaml",
                        Set.of("Key", "Secret", "ServiceAccountPatch", "RepositoryIamMember"),
                        Set.of("ClusterPolicy", "ExternalSecret", "Release")),
                new Setup(
                        "Pulumi.gke-nodes.yaml",
                        Set.of("RepositoryIamMember"),
                        Set.of("Account", "Key", "Secret", "ServiceAccountPatch", "Release")),
                new Setup(
                        "Pulumi.token-gke.yaml",
                        Set.of("ExternalSecret", "Release", "ServiceAccountPatch", "IAMMember"),
                        Set.of("Key", "WorkloadIdentityPool")),
                new Setup(
                        "Pulumi.token-kind.yaml",
                        Set.of("ExternalSecret", "Release", "WorkloadIdentityPool", "WorkloadIdentityPoolProvider"),
                        Set.of("Key")),
                new Setup(
                        "Pulumi.cluster-wide.yaml",
                        Set.of("ClusterPolicy", "Release", "Key", "Namespace", "Job"),
                        Set.of("ServiceAccountPatch")),
                new Setup(
                        "Pulumi.per-pod.yaml",
                        Set.of("Key", "Secret"),
                        Set.of("ServiceAccountPatch", "ClusterPolicy")));
    }

    private static Set<String> exampleFiles() throws IOException {
        return TrackedFiles.matching(EXAMPLE).stream()
                .map(path -> path.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyExampleStackFileHasASetupAndEverySetupAFile() throws IOException {
        var promised = setups().stream().map(Setup::file).collect(Collectors.toCollection(TreeSet::new));

        assertEquals(promised, exampleFiles());
    }

    @Test
    void theReadmeSetupTableLinksEveryExampleStackFile() throws IOException {
        var readme = Files.readString(Path.of("README.md"));
        var section = readme.split("## Choose your setup", -1)[1].split("\n## ", -1)[0];
        var linked = new TreeSet<String>();
        var links = SETUP_LINK.matcher(section);
        while (links.find()) {
            linked.add(Path.of(links.group(1)).getFileName().toString());
        }

        assertEquals(exampleFiles(), linked);
    }

    /** The quick start's `cp stacks/examples/...` and the docs' mentions, in code or prose, name files that exist. */
    @Test
    void everyExampleStackFileTheDocsNameExists() throws IOException {
        var documents = new ArrayList<>(List.of(Path.of("README.md")));
        documents.addAll(TrackedFiles.matching(Pattern.compile("docs/.*\\.md")));
        var missing = new TreeSet<String>();
        var count = 0;
        for (var document : documents) {
            var mentions = EXAMPLE.matcher(Files.readString(document));
            while (mentions.find()) {
                count++;
                if (!exampleFiles()
                        .contains(Path.of(mentions.group()).getFileName().toString())) {
                    missing.add(document + ": " + mentions.group());
                }
            }
        }

        assertEquals(Set.of(), missing);
        assertTrue(count > exampleFiles().size(), "the README's table and quick start name the examples: " + count);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void exampleDeploysOfflineAndDeclaresWhatItsSetupPromises(Setup setup) throws IOException {
        var stack = StackFile.load(Path.of(DIRECTORY + setup.file()));
        assertFalse(stack.encryptedKey(), "an example is copied into a user's own stack file: no encrypted values");

        var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);

        assertEquals(List.of(), run.exceptions());
        var kinds = run.resources().stream()
                .map(DeclaredResource::type)
                .map(type -> type.substring(type.lastIndexOf(':') + 1))
                .collect(Collectors.toSet());
        for (var kind : setup.declares()) {
            assertTrue(kinds.contains(kind), setup.file() + " declares no " + kind + ": " + kinds);
        }
        for (var kind : setup.declaresNot()) {
            assertFalse(kinds.contains(kind), setup.file() + " declares a " + kind);
        }
    }
}
