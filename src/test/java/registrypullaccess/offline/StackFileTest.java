package registrypullaccess.offline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StackFileTest {

    @TempDir
    Path dir;

    private StackFile load(String yaml) throws IOException {
        var path = dir.resolve("Pulumi.test.yaml");
        Files.writeString(path, yaml);
        return StackFile.load(path);
    }

    @Test
    void passesListsAsJsonLikeThePulumiCli() throws IOException {
        var stack = load("config:\n  registry-pull-access:namespaces:\n    - team-a\n    - team-b\n");

        assertEquals(Optional.of("[\"team-a\",\"team-b\"]"), stack.config().get(ConfigKeys.PROJECT, "namespaces"));
    }

    @Test
    void readsKeysWithoutANamespaceAsTheProjectsOwn() throws IOException {
        var stack = load("config:\n  secretName: acme-pull\n  gcp:project: acme-dev\n");

        assertEquals(Optional.of("acme-pull"), stack.config().get(ConfigKeys.PROJECT, "secretName"));
        assertEquals(Optional.of("acme-dev"), stack.config().get("gcp", "project"));
    }

    @Test
    void keepsEncryptedValuesHiddenAndListsTheirKeys() throws IOException {
        var stack = load("encryptionsalt: v1:abc\nconfig:\n  registry-pull-access:email:\n    secure: AAABAB==\n");

        assertEquals(Set.of("registry-pull-access:email"), stack.secretKeys());
        assertEquals(
                Optional.of(StackFile.ENCRYPTED_PLACEHOLDER), stack.config().get(ConfigKeys.PROJECT, "email"));
    }

    @Test
    void makesAKeySecretWhenAnyValueInsideIsEncrypted() throws IOException {
        var stack = load("""
                config:
                  registry-pull-access:otherRegistries:
                    - host: ghcr.io
                      username: acme-bot
                      password:
                        secure: AAABAB==
                """);

        assertEquals(Set.of("registry-pull-access:otherRegistries"), stack.secretKeys());
        assertEquals(
                Optional.of("[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\""
                        + StackFile.ENCRYPTED_PLACEHOLDER + "\"}]"),
                stack.config().get(ConfigKeys.PROJECT, "otherRegistries"));
    }

    @Test
    void readsYesAsTheStringThePulumiCliPassesNotAsTrue() throws IOException {
        var stack = load("""
                config:
                  gcp:project: acme-dev
                  registry-pull-access:registries: [eu.gcr.io]
                  registry-pull-access:keyless: yes
                """);

        assertEquals(Optional.of("yes"), stack.config().get(ConfigKeys.PROJECT, "keyless"));
        var error = assertThrows(InvalidSettingsException.class, () -> Settings.fromConfig(stack.config()));
        assertTrue(error.getMessage().contains("keyless: \"yes\" is not true or false."), error.getMessage());
    }

    @Test
    void readsScalarsAsYaml12DoesLikeThePulumiCli() throws IOException {
        var stack =
                load("config:\n  a:on: on\n  a:upper: TRUE\n  a:octal: 010\n  a:hex: 0x10\n  a:list: [no, 1, true]\n");

        assertEquals(Optional.of("on"), stack.config().get("a", "on"));
        assertEquals(Optional.of("true"), stack.config().get("a", "upper"));
        assertEquals(Optional.of("10"), stack.config().get("a", "octal"));
        assertEquals(Optional.of("16"), stack.config().get("a", "hex"));
        assertEquals(Optional.of("[\"no\",1,true]"), stack.config().get("a", "list"));
    }

    @Test
    void rejectsADuplicateKeyInsteadOfKeepingTheLastValue() {
        var error = assertThrows(IOException.class, () -> load("""
                config:
                  registry-pull-access:protect: true
                  registry-pull-access:protect: false
                """));

        assertTrue(error.getMessage().contains("Pulumi.test.yaml:3"), error.getMessage());
        assertTrue(error.getMessage().contains("duplicate key registry-pull-access:protect"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "config:\n  a:list: [a\n",
                "config:\n\ta:b: c\n",
                "config:\n  a:url: !!java.net.URL [\"http://example.com\"]\n",
                "config:\n  a:set: !!set {a}\n"
            })
    void rejectsMalformedYamlNamingTheFileAndLine(String yaml) {
        var error = assertThrows(IOException.class, () -> load(yaml));

        assertTrue(error.getMessage().matches("(?s).*Pulumi\\.test\\.yaml:[23]:\\d+: .*"), error.getMessage());
    }

    @Test
    void rejectsAPlainTextPasswordBesideAnEncryptedOne() throws IOException {
        var stack = load("""
                config:
                  gcp:project: acme-dev
                  registry-pull-access:registries: []
                  registry-pull-access:otherRegistries:
                    - host: ghcr.io
                      username: acme-bot
                      password:
                        secure: AAABAB==
                    - host: registry.acme.example
                      username: ci
                      password: hunter2
                """);

        var error = assertThrows(InvalidSettingsException.class, () -> Settings.fromConfig(stack.config()));

        assertEquals(1, error.problems().size(), error.getMessage());
        var problem = error.problems().get(0);
        assertTrue(problem.startsWith("registry-pull-access:otherRegistries[1].password is in plain text"), problem);
        assertTrue(problem.contains("pulumi config set --secret --path 'otherRegistries[1].password'"), problem);
        assertFalse(problem.contains("hunter2"), problem);
    }

    @Test
    void readsAFileWithoutConfigAsEmpty() throws IOException {
        assertEquals(Set.of(), load("encryptionsalt: v1:abc\n").values().keySet());
    }

    @Test
    void readsTheSecretsProviderTheCliWrites() throws IOException {
        var stack = load("""
                secretsprovider: gcpkms://projects/acme-ci/locations/global/keyRings/pulumi/cryptoKeys/prod
                encryptedkey: CiQAbc==
                config:
                  gcp:project: acme-prod
                """);

        assertEquals(
                "gcpkms://projects/acme-ci/locations/global/keyRings/pulumi/cryptoKeys/prod", stack.secretsProvider());
        assertTrue(stack.encryptedKey());
        assertEquals(Optional.of("acme-prod"), stack.config().get("gcp", "project"));
    }

    @Test
    void hasNoSecretsProviderWhenTheFileNamesNone() throws IOException {
        var stack = load("config:\n  gcp:project: acme-dev\n");

        assertEquals("", stack.secretsProvider());
        assertFalse(stack.encryptedKey());
    }

    @Test
    void rejectsAMisspeltTopLevelKey() {
        var error = assertThrows(IOException.class, () -> load("secretProvider: gcpkms://x\nconfig: {}\n"));

        assertTrue(error.getMessage().contains("unknown top-level key `secretProvider`"), error.getMessage());
    }

    @Test
    void rejectsAFileThatIsNotAMapping() {
        assertThrows(IOException.class, () -> load("- just\n- a list\n"));
    }
}
