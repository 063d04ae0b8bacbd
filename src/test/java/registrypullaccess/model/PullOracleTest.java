package registrypullaccess.model;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pull oracle: what a pod created now needs to pull. */
class PullOracleTest {

    private static final String ACCOUNT = "image-puller@acme-dev.iam.gserviceaccount.com";
    private static final String REPOSITORY = PullOracle.repository("acme-dev", "europe", "eu.gcr.io");
    private static final String KEY_FILE = "{\"private_key_id\":\"key-1\"}";
    private static final PullOracle.Way AS_DEFAULT =
            new PullOracle.Way("team-a", "eu.gcr.io", REPOSITORY, "default", List.of(), null);

    private final World world = new World();
    private final PullOracle oracle = new PullOracle();

    @BeforeEach
    void aGrantedAccountWithAKey() {
        world.google.accounts.add(ACCOUNT);
        world.google.keys.put("key-1", ACCOUNT);
        world.google.addMember(REPOSITORY, PullOracle.READER, "serviceAccount:" + ACCOUNT);
    }

    private void secret(String name, String entries) {
        var json = "{\"auths\":{" + entries + "}}";
        world.cluster.write(
                "kubectl-create",
                "Secret",
                "team-a",
                name,
                Map.of("data", Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))),
                "foreign");
    }

    private static String entry(String host, String username, String password) {
        return "\"" + host + "\":{\"username\":\"" + username + "\",\"password\":" + quoted(password) + "}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "\\\"") + "\"";
    }

    private void listed(String... secrets) {
        world.cluster.write(
                "kube-controller-manager",
                "ServiceAccount",
                "team-a",
                "default",
                Map.of("imagePullSecrets", List.of(secrets)),
                "kubernetes");
    }

    @Test
    void aPodPullsWithAListedSecretsKeyOnlyWhileTheKeyExistsAndItsAccountHasTheReaderGrant() {
        secret("regcred", entry("eu.gcr.io", "_json_key", KEY_FILE));
        listed("regcred");
        assertTrue(oracle.canPull(world, AS_DEFAULT));

        world.google.removeMember(REPOSITORY, PullOracle.READER, "serviceAccount:" + ACCOUNT);
        assertFalse(oracle.canPull(world, AS_DEFAULT));
        world.google.addMember(REPOSITORY, PullOracle.READER, "serviceAccount:" + ACCOUNT);
        world.google.keys.remove("key-1");

        assertFalse(oracle.canPull(world, AS_DEFAULT));
    }

    @Test
    void onlyTheSecretsItsAccountListsOrItNamesCountAndOnlyWithItsAccount() {
        secret("regcred", entry("eu.gcr.io", "_json_key", KEY_FILE));
        assertFalse(oracle.canPull(world, AS_DEFAULT), "no such ServiceAccount");
        listed();
        assertFalse(oracle.canPull(world, AS_DEFAULT), "a Secret in the namespace that nothing lists");

        assertTrue(oracle.canPull(
                world, new PullOracle.Way("team-a", "eu.gcr.io", REPOSITORY, "default", List.of("regcred"), null)));
    }

    @Test
    void theEntryMustBeForTheHostWithOrWithoutHttps() {
        secret("other-host", entry("us.gcr.io", "_json_key", KEY_FILE));
        secret("https", entry("https://eu.gcr.io", "_json_key", KEY_FILE));
        listed("other-host");
        assertFalse(oracle.canPull(world, AS_DEFAULT));

        listed("other-host", "https");

        assertTrue(oracle.canPull(world, AS_DEFAULT));
    }

    @Test
    void authWinsOverUsernameAndPassword() {
        var auth = Base64.getEncoder().encodeToString(("_json_key:" + KEY_FILE).getBytes(StandardCharsets.UTF_8));
        secret(
                "regcred",
                "\"eu.gcr.io\":{\"username\":\"_json_key\",\"password\":\"not a key\",\"auth\":\"" + auth + "\"}");
        listed("regcred");

        assertTrue(oracle.canPull(world, AS_DEFAULT));
    }
}
