package registrypullaccess.model;

import com.google.gson.JsonParser;
import com.pulumi.test.Mocks;
import registrypullaccess.offline.FakeGoogleCloud;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The providers' answers while the model runs the real program: {@link FakeGoogleCloud}, but with every key file
 * naming its own key ({@code private_key_id}), as Google's do, so that the pull oracle can tell a deleted key from
 * its replacement. The id is a function of the key's inputs (account and rotation keepers): a key declared anew with
 * other inputs is another key.
 */
final class ModelKeys implements Mocks {

    private static final String ZERO_ID = "0000000000000000000000000000000000000000";

    private final FakeGoogleCloud cloud;
    private final Set<String> liveObjects;

    /**
     * @param liveObjects the Secrets and ConfigMaps that exist, {@code Kind namespace/name}: reading another fails, as
     *                    in the engine
     */
    ModelKeys(FakeGoogleCloud cloud, Set<String> liveObjects) {
        this.cloud = cloud;
        this.liveObjects = Set.copyOf(liveObjects);
    }

    /** The id Google would give the key these inputs create. */
    static String keyId(Map<String, Object> keyInputs) {
        return "key-"
                + Integer.toHexString((keyInputs.get("serviceAccountId") + " " + keyInputs.get("keepers")).hashCode());
    }

    /** The key id in a {@code _json_key} password (the key file), if it is one. */
    static Optional<String> keyId(String keyFileJson) {
        try {
            var file = JsonParser.parseString(keyFileJson).getAsJsonObject();
            return Optional.ofNullable(file.get("private_key_id")).map(id -> id.getAsString());
        } catch (RuntimeException notAKeyFile) {
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        var read = args.id != null && !args.id.isEmpty();
        var kind = args.type.substring(args.type.lastIndexOf(':') + 1);
        if (read
                && Set.of("kubernetes:core/v1:Secret", "kubernetes:core/v1:ConfigMap")
                        .contains(args.type)
                && !liveObjects.contains(kind + " " + args.id)) {
            // pulumi v3.253.0, pkg/resource/deploy/step.go, ReadStep.Apply: a read of nothing fails the update.
            return CompletableFuture.failedFuture(
                    new IllegalStateException("resource '" + args.id + "' does not exist"));
        }
        var result = cloud.newResourceAsync(args);
        if (!"gcp:serviceaccount/key:Key".equals(args.type)) {
            return result;
        }
        return result.thenApply(created -> {
            @SuppressWarnings("unchecked")
            var state = new HashMap<String, Object>((Map<String, Object>) created.state);
            var keyFile = FakeGoogleCloud.keyFile((String) args.inputs.get("serviceAccountId"))
                    .replace(ZERO_ID, keyId(args.inputs));
            state.put(
                    "privateKey",
                    com.pulumi.core.Output.ofSecret(
                            Base64.getEncoder().encodeToString(keyFile.getBytes(StandardCharsets.UTF_8))));
            return ResourceResult.of(created.id, state);
        });
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        return cloud.callAsync(args);
    }
}
