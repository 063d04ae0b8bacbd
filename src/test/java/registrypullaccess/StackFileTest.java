package registrypullaccess;

import registrypullaccess.offline.StackFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        assertEquals(Optional.of("[\"team-a\",\"team-b\"]"), stack.config().get(Settings.PROJECT, "namespaces"));
    }

    @Test
    void readsKeysWithoutANamespaceAsTheProjectsOwn() throws IOException {
        var stack = load("config:\n  secretName: acme-pull\n  gcp:project: acme-dev\n");

        assertEquals(Optional.of("acme-pull"), stack.config().get(Settings.PROJECT, "secretName"));
        assertEquals(Optional.of("acme-dev"), stack.config().get("gcp", "project"));
    }

    @Test
    void keepsEncryptedValuesHiddenAndListsTheirKeys() throws IOException {
        var stack = load("encryptionsalt: v1:abc\nconfig:\n  registry-pull-access:email:\n    secure: AAABAB==\n");

        assertEquals(Set.of("registry-pull-access:email"), stack.secretKeys());
        assertEquals(Optional.of(StackFile.ENCRYPTED_PLACEHOLDER), stack.config().get(Settings.PROJECT, "email"));
    }

    @Test
    void makesAKeySecretWhenAnyValueInsideIsEncrypted() throws IOException {
        var stack = load("config:\n  registry-pull-access:otherRegistries:\n    - host: ghcr.io\n"
                + "      username: acme-bot\n      password:\n        secure: AAABAB==\n");

        assertEquals(Set.of("registry-pull-access:otherRegistries"), stack.secretKeys());
        assertEquals(Optional.of("[{\"host\":\"ghcr.io\",\"username\":\"acme-bot\",\"password\":\""
                        + StackFile.ENCRYPTED_PLACEHOLDER + "\"}]"),
                stack.config().get(Settings.PROJECT, "otherRegistries"));
    }

    @Test
    void readsAFileWithoutConfigAsEmpty() throws IOException {
        assertEquals(Set.of(), load("encryptionsalt: v1:abc\n").values().keySet());
    }

    @Test
    void readsTheSecretsProviderTheCliWrites() throws IOException {
        var stack = load("secretsprovider: gcpkms://projects/acme-ci/locations/global/keyRings/pulumi/cryptoKeys/prod\n"
                + "encryptedkey: CiQAbc==\nconfig:\n  gcp:project: acme-prod\n");

        assertEquals("gcpkms://projects/acme-ci/locations/global/keyRings/pulumi/cryptoKeys/prod", stack.secretsProvider());
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
