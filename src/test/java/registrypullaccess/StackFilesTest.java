package registrypullaccess;

import registrypullaccess.offline.StackFile;
import registrypullaccess.registry.KeyRotation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.offline.OfflineRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every stack file in the repository must deploy: a bad one fails here, not at `pulumi up`. */
class StackFilesTest {

    static Stream<Path> stackFiles() throws IOException {
        try (var files = Files.walk(Path.of("."))) {
            var found = files
                    .filter(path -> !path.startsWith("./target") && !path.startsWith("./.git"))
                    .filter(path -> path.getFileName().toString().matches("Pulumi\\.[^.]+\\.ya?ml"))
                    .sorted()
                    .toList();
            assertFalse(found.isEmpty(), "no stack files found from " + Path.of(".").toAbsolutePath());
            return found.stream();
        }
    }

    @Test
    void theRepositoryHasTheDevStagingAndProdStacks() throws IOException {
        var names = stackFiles().map(path -> Path.of(".").relativize(path).toString()).toList();

        assertTrue(names.containsAll(List.of("Pulumi.dev.yaml", "stacks/Pulumi.staging.yaml",
                "stacks/Pulumi.prod.yaml")), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void stackFileIsValidAndDeploysOffline(Path path) throws IOException {
        var stack = StackFile.load(path);

        Settings.fromConfig(stack.config());
        var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);
        assertEquals(List.of(), run.exceptions());
    }

    /** Keys the program reads that Pulumi.yaml cannot type: project config has no object type. */
    static final List<String> UNTYPED_KEYS = List.of("otherRegistries", "namespaceSelector");

    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void stackFileSetsOnlyKeysTheProgramReads(Path path) throws IOException {
        var declared = new HashSet<>(projectConfig().keySet());
        declared.addAll(UNTYPED_KEYS);

        for (var key : StackFile.load(path).values().keySet()) {
            var namespace = key.substring(0, key.indexOf(':'));
            var name = key.substring(key.indexOf(':') + 1);
            if (namespace.equals(Settings.PROJECT)) {
                assertTrue(declared.contains(name), path + " sets " + key + ", which Pulumi.yaml does not declare");
            } else {
                assertTrue(List.of("gcp:project", "kubernetes:context").contains(key),
                        path + " sets " + key + ", which the program does not use");
            }
        }
    }

    @Test
    void projectFileDefaultsAreTheProgramDefaults() throws IOException {
        var config = projectConfig();

        assertEquals(Settings.DEFAULT_NAMESPACES, config.get("namespaces").get("default"));
        assertEquals(Puller.WithKey.DEFAULT_SERVICE_ACCOUNT_ID, config.get("serviceAccountId").get("default"));
        assertEquals(PullSecretSettings.DEFAULT_NAME, config.get("secretName").get("default"));
        assertEquals("", config.get("email").get("default"));
        assertEquals(List.of(), config.get("legacyStorage").get("default"));
        assertEquals(List.of(), config.get("projectWideReaders").get("default"));
        assertEquals(false, config.get("keyless").get("default"));
        assertEquals("", config.get("nodeServiceAccount").get("default"));
        assertEquals(Settings.DEFAULT_SERVICE_ACCOUNTS, config.get("serviceAccounts").get("default"));
        assertEquals(KeyRotation.DEFAULT_DAYS, config.get("keyRotationDays").get("default"));
        assertEquals("", config.get("verifyImage").get("default"));
        assertEquals(PullCheck.DEFAULT_HELPER_IMAGE, config.get("verifyHelperImage").get("default"));
        assertEquals(Coverage.ClusterWide.DEFAULT_EXCLUDED, config.get("excludeNamespaces").get("default"));
        assertEquals(Coverage.ClusterWide.DEFAULT_HOME, config.get("homeNamespace").get("default"));
        for (var flag : List.of("createNamespaces", "adopt", "protect", "detach", "allNamespaces", "installKyverno")) {
            assertEquals(false, config.get(flag).get("default"), flag);
        }
        assertFalse(config.get("registries").containsKey("default"), "registries has no sensible default");
        config.values().forEach(key -> assertTrue(key.containsKey("description"), key.toString()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> projectConfig() throws IOException {
        try (var reader = Files.newBufferedReader(Path.of("Pulumi.yaml"))) {
            Map<String, Object> project = new Yaml().load(reader);
            assertEquals(Settings.PROJECT, project.get("name"));
            return (Map<String, Map<String, Object>>) project.get("config");
        }
    }
}
