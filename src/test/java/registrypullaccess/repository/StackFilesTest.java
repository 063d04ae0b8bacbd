package registrypullaccess.repository;

import com.google.gson.Gson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.App;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.StackFile;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.ConfigSource;
import registrypullaccess.settings.Coverage;
import registrypullaccess.settings.PullCheck;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.PullSecretUse;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every stack file in the repository must deploy: a bad one fails here, not at `pulumi up`. */
class StackFilesTest {

    /** A stack file's name: {@code Pulumi.STACK.yaml}, anywhere in the repository. */
    static final Pattern STACK_FILE = Pattern.compile("(?:stacks/)?Pulumi\\.([^./]+)\\.ya?ml");

    /**
     * The stack files git tracks, relative to the repository root. A developer's own stack file (an untracked
     * {@code Pulumi.alice.yaml} from {@code pulumi stack init alice}) is theirs, not the repository's.
     */
    static Stream<Path> stackFiles() throws IOException {
        var found = TrackedFiles.matching(STACK_FILE);
        assertFalse(
                found.isEmpty(), "git tracks no stack files in " + Path.of("").toAbsolutePath());
        return found.stream();
    }

    @Test
    void theRepositoryHasTheDevStagingAndProdStacks() throws IOException {
        var names = stackFiles().map(Path::toString).toList();

        assertTrue(
                names.containsAll(List.of("Pulumi.dev.yaml", "stacks/Pulumi.staging.yaml", "stacks/Pulumi.prod.yaml")),
                names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void stackFileIsValidAndDeploysOffline(Path path) throws IOException {
        var stack = StackFile.load(path);

        Settings.fromConfig(stack.config());
        var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);
        assertEquals(List.of(), run.exceptions());
    }

    /**
     * The KMS key a shared stack's secrets are encrypted with: one key per stack, named after it, in the key ring
     * that docs/ci.md's one-time setup creates, so that each environment's deployer can decrypt its own stack only.
     */
    static final Pattern SECRETS_PROVIDER = Pattern.compile(
            "gcpkms://projects/[a-z][-a-z0-9]{4,28}[a-z0-9]/locations/global/keyRings/pulumi/cryptoKeys/([a-z0-9-]+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void stackFileNamesItsOwnKmsKeyAsSecretsProvider(Path path) throws IOException {
        var stack = StackFile.load(path);
        var name = STACK_FILE.matcher(path.toString());
        assertTrue(name.matches(), path.toString());

        var provider = SECRETS_PROVIDER.matcher(stack.secretsProvider());
        assertTrue(
                provider.matches(),
                path + ": `secretsprovider: " + stack.secretsProvider() + "` is not "
                        + SECRETS_PROVIDER.pattern()
                        + "; the workflows deploy this stack and need its secrets provider in the file"
                        + " (docs/ci.md, \"Secrets providers\")");
        assertEquals(name.group(1), provider.group(1), path + " uses another stack's KMS key");
    }

    /**
     * What the committed stack files hold until their owner makes the real key: not base64, so that neither the
     * workflows (which refuse it) nor the CLI (which fails to decode it) ever mistakes it for a key and makes a new
     * one. It must be replaced: docs/ci.md, "Secrets providers".
     */
    static final String KEY_PLACEHOLDER = "NOT-A-KEY-run-pulumi-stack-change-secrets-provider";

    /**
     * Without {@code encryptedkey} the CLI makes a new data key and calls KMS Encrypt on every preview (pulumi
     * v3.253.0, pkg/secrets/cloud/manager.go, NewCloudSecretsManager), which a preview identity may not do.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void stackFileCarriesItsEncryptedDataKeyOrTheMarkedPlaceholder(Path path) throws IOException {
        var key = encryptedKey(path);

        assertFalse(
                key.isEmpty(),
                path + " has no `encryptedkey:`: the CLI would make a new data key and call KMS Encrypt at every"
                        + " preview; see docs/ci.md, \"Secrets providers\"");
        if (!key.equals(KEY_PLACEHOLDER)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(key);
            } catch (IllegalArgumentException notBase64) {
                throw new AssertionError(path + ": `encryptedkey: " + key + "` is neither base64 (what the CLI"
                        + " writes) nor the placeholder " + KEY_PLACEHOLDER);
            }
            assertTrue(
                    decoded.length > 32,
                    path + ": " + decoded.length + " bytes is no KMS ciphertext of a 32-byte data key");
        }
    }

    /** The placeholders must be replaced: docs/ci.md names the stacks still on one, so the list cannot rot. */
    @Test
    void theDocsNameExactlyTheStacksWhoseKeyIsStillThePlaceholder() throws IOException {
        var onPlaceholder = new TreeSet<String>();
        for (var path : stackFiles().toList()) {
            if (encryptedKey(path).equals(KEY_PLACEHOLDER)) {
                var name = STACK_FILE.matcher(path.toString());
                assertTrue(name.matches(), path.toString());
                onPlaceholder.add(name.group(1));
            }
        }
        var line = Pattern.compile("(?m)^Stacks whose `encryptedkey` is still the placeholder: (.*)\\.$")
                .matcher(Files.readString(Path.of("docs/ci.md")));
        assertTrue(line.find(), "docs/ci.md names no stacks still on the placeholder");
        var documented = new TreeSet<String>();
        var names = Pattern.compile("`([a-z0-9-]+)`").matcher(line.group(1));
        while (names.find()) {
            documented.add(names.group(1));
        }

        assertEquals(onPlaceholder, documented, "docs/ci.md: \"Stacks whose `encryptedkey` is still ...\"");
    }

    /** The workflows' own check, run as the runner runs it: the placeholder stops a preview and a deploy. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void theWorkflowsUseAStackFileOnlyWithItsRealKey(Path path, @TempDir Path directory) throws Exception {
        var step = ActionStep.named("pulumi-stack", "Use the stack file");
        var name = STACK_FILE.matcher(path.toString());
        assertTrue(name.matches(), path.toString());
        var environment = Map.of("STACK", name.group(1), "CONFIG_FILE", "file.yaml");
        var committed = Files.readString(path);

        Files.writeString(directory.resolve("file.yaml"), committed);
        var outcome = step.run(directory, environment);
        if (encryptedKey(path).equals(KEY_PLACEHOLDER)) {
            assertEquals(1, outcome.exitCode(), outcome.output());
            assertTrue(outcome.output().contains("pulumi stack change-secrets-provider"), outcome.output());
            assertFalse(Files.exists(directory.resolve("Pulumi." + name.group(1) + ".yaml")));
        } else {
            assertEquals(0, outcome.exitCode(), outcome.output());
        }

        var realKey = Base64.getEncoder().encodeToString(new byte[113]);
        Files.writeString(
                directory.resolve("file.yaml"),
                committed.replace("encryptedkey: " + KEY_PLACEHOLDER, "encryptedkey: " + realKey));
        var withKey = step.run(directory, environment);
        assertEquals(0, withKey.exitCode(), withKey.output());
        assertTrue(Files.readString(directory.resolve("Pulumi." + name.group(1) + ".yaml"))
                .contains(realKey));

        Files.writeString(directory.resolve("file.yaml"), committed.replaceAll("(?m)^encryptedkey: .*\\n", ""));
        assertEquals(1, step.run(directory, environment).exitCode(), "no encryptedkey, no preview");
        Files.writeString(directory.resolve("file.yaml"), committed.replaceAll("(?m)^secretsprovider: .*\\n", ""));
        assertEquals(1, step.run(directory, environment).exitCode(), "no secretsprovider, no preview");
    }

    /** The {@code encryptedkey:} value as the CLI reads it, empty when there is none. */
    private static String encryptedKey(Path path) throws IOException {
        try (var reader = Files.newBufferedReader(path)) {
            Map<?, ?> top = new Yaml().load(reader);
            return top.get("encryptedkey") == null ? "" : String.valueOf(top.get("encryptedkey"));
        }
    }

    @Test
    void anUntrackedStackFileIsNotTheRepositorys() throws IOException {
        var mine = Path.of("Pulumi.untracked-by-stackfilestest.yaml");
        Files.writeString(mine, "config:\n  not-a-namespace:key: stays out of the tests\n");
        try {
            assertFalse(stackFiles().anyMatch(mine::equals), "an untracked stack file was picked up");
        } finally {
            Files.delete(mine);
        }
    }

    @Test
    void theProgramKnowsExactlyTheKeysPulumiYamlDeclaresAndTheUntypedOnes() throws IOException {
        var declared = new HashSet<>(projectConfig().keySet());
        declared.addAll(ConfigKeys.UNTYPED);

        assertEquals(declared, new HashSet<>(ConfigKeys.KNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stackFiles")
    void stackFileSetsOnlyKeysTheProgramReads(Path path) throws IOException {
        var declared = new HashSet<>(projectConfig().keySet());
        declared.addAll(ConfigKeys.UNTYPED);

        for (var key : StackFile.load(path).values().keySet()) {
            var namespace = key.substring(0, key.indexOf(':'));
            var name = key.substring(key.indexOf(':') + 1);
            if (namespace.equals(ConfigKeys.PROJECT)) {
                assertTrue(declared.contains(name), path + " sets " + key + ", which Pulumi.yaml does not declare");
            } else {
                assertTrue(
                        List.of("gcp:project", "kubernetes:context").contains(key),
                        path + " sets " + key + ", which the program does not use");
            }
        }
    }

    @Test
    void projectFileDefaultsAreTheProgramDefaults() throws IOException {
        var config = projectConfig();

        assertEquals(
                Coverage.Listed.DEFAULT_NAMESPACES, config.get("namespaces").get("default"));
        assertEquals(
                Puller.DEFAULT_SERVICE_ACCOUNT_ID,
                config.get("serviceAccountId").get("default"));
        assertEquals(PullSecretSettings.DEFAULT_NAME, config.get("secretName").get("default"));
        assertEquals("", config.get("email").get("default"));
        assertEquals(List.of(), config.get("legacyStorage").get("default"));
        assertEquals(List.of(), config.get("projectWideReaders").get("default"));
        assertEquals(false, config.get("keyless").get("default"));
        assertEquals("", config.get("nodeServiceAccount").get("default"));
        assertEquals(
                PullSecretUse.ThroughServiceAccounts.DEFAULT_SERVICE_ACCOUNTS,
                config.get("serviceAccounts").get("default"));
        assertEquals(
                Puller.Key.DEFAULT_ROTATION_DAYS, config.get("keyRotationDays").get("default"));
        assertEquals("", config.get("verifyImage").get("default"));
        assertEquals(
                PullCheck.DEFAULT_HELPER_IMAGE, config.get("verifyHelperImage").get("default"));
        assertEquals(
                Coverage.ClusterWide.DEFAULT_EXCLUDED,
                config.get("excludeNamespaces").get("default"));
        assertEquals(Coverage.DEFAULT_HOME, config.get("homeNamespace").get("default"));
        for (var flag : List.of("createNamespaces", "adopt", "protect", "detach", "allNamespaces", "installKyverno")) {
            assertEquals(false, config.get(flag).get("default"), flag);
        }
        assertFalse(config.get("registries").containsKey("default"), "registries has no sensible default");
        config.values().forEach(key -> assertTrue(key.containsKey("description"), key.toString()));
    }

    /**
     * The Pulumi CLI passes every default of Pulumi.yaml to the program as if the stack set it; a key that only
     * one way of pulling reads must not count as set under another way when it holds its default.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"key", "token", "node"})
    void acceptsEveryDefaultThePulumiCliPassesInEachWayOfPulling(String credentials) throws IOException {
        var config = new HashMap<String, String>();
        projectConfig().forEach((key, declaration) -> {
            var value = declaration.get("default");
            if (value != null) {
                config.put(
                        ConfigKeys.PROJECT + ":" + key,
                        value instanceof String text
                                ? text
                                : value instanceof List<?> || value instanceof Map<?, ?>
                                        ? new Gson().toJson(value)
                                        : String.valueOf(value));
            }
        });
        config.put("gcp:project", "acme-dev");
        config.put(ConfigKeys.PROJECT + ":registries", "[\"eu.gcr.io\"]");
        config.put(ConfigKeys.PROJECT + ":credentials", credentials);
        if (credentials.equals("token")) {
            config.put(ConfigKeys.PROJECT + ":gkeCluster", "projects/acme-dev/locations/europe-west1/clusters/dev");
        }
        if (credentials.equals("node")) {
            config.put(ConfigKeys.PROJECT + ":nodeServiceAccount", "nodes@acme-dev.iam.gserviceaccount.com");
        }

        var settings = Settings.fromConfig(ConfigSource.of(config, Set.of()));

        assertEquals(credentials, settings.puller().match(key -> "key", token -> "token", node -> "node"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> projectConfig() throws IOException {
        try (var reader = Files.newBufferedReader(Path.of("Pulumi.yaml"))) {
            Map<String, Object> project = new Yaml().load(reader);
            assertEquals(ConfigKeys.PROJECT, project.get("name"));
            return (Map<String, Map<String, Object>>) project.get("config");
        }
    }
}
