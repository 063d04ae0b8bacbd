package registrypullaccess.settings;

import com.pulumi.Context;
import com.pulumi.core.internal.Internal;
import com.pulumi.deployment.Deployment;
import com.pulumi.deployment.internal.DeploymentImpl;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Raw stack configuration as Pulumi hands it to a program: a string per {@code namespace:key}, with
 * lists and objects as JSON text, and which keys were stored encrypted. Both {@code pulumi up} (through
 * {@link Context}) and a stack file read from disk look the same through it, so one validation serves both.
 */
public interface ConfigSource {

    Optional<String> get(String namespace, String key);

    /** Whether the value was stored encrypted ({@code pulumi config set --secret}). */
    boolean isSecret(String namespace, String key);

    /**
     * Whether the value at a path inside a structured key (e.g. {@code [1].password}) was stored encrypted.
     * Only a stack file read from disk can tell: {@code pulumi up} passes a key with any encrypted value in it
     * as one secret value ({@code PULUMI_CONFIG_SECRET_KEYS} names keys, not paths), so there the answer is
     * the whole key's. The per-value check therefore runs where stack files are read: the offline render and
     * the tests, which CI runs on every stack file.
     */
    default boolean isSecret(String namespace, String key, String path) {
        return isSecret(namespace, key);
    }

    /** Every key set, {@code namespace:key}, whether the program reads it or not. */
    Set<String> keys();

    static ConfigSource of(Context ctx) {
        return new ConfigSource() {
            @Override
            public Optional<String> get(String namespace, String key) {
                return ctx.config(namespace).get(key);
            }

            @Override
            public boolean isSecret(String namespace, String key) {
                // The public Config API hides which keys are secret; the deployment knows.
                return Internal.of(Deployment.getInstance()).getConfig().isConfigSecret(namespace + ":" + key);
            }

            @Override
            public Set<String> keys() {
                return allKeys(Internal.of(Deployment.getInstance()).getConfig());
            }
        };
    }

    /**
     * The keys of the deployment's configuration. SDK 1.36.1 has no public way to list them: the CLI passes
     * the whole configuration in {@code PULUMI_CONFIG}, which the SDK parses (its keys cleaned, e.g. the old
     * {@code ns:config:key} form) into a map that only its private {@code getAllConfig()} returns. Reading
     * that map serves {@code pulumi up} and the SDK's test engine alike (which ignores {@code PULUMI_CONFIG});
     * an SDK without it fails here loudly rather than skipping the check.
     */
    private static Set<String> allKeys(DeploymentImpl.Config config) {
        try {
            var getAllConfig = DeploymentImpl.Config.class.getDeclaredMethod("getAllConfig");
            getAllConfig.setAccessible(true);
            return Set.copyOf(((Map<?, ?>) getAllConfig.invoke(config))
                    .keySet().stream().map(String::valueOf).toList());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot list the stack's configuration keys through this Pulumi SDK "
                            + "(DeploymentImpl.Config.getAllConfig, SDK 1.36.1); update ConfigSource.keys for it",
                    e);
        }
    }

    /** Values keyed {@code namespace:key}, as in a stack file. */
    static ConfigSource of(Map<String, String> values, Set<String> secretKeys) {
        return of(values, secretKeys, null);
    }

    /**
     * Values keyed {@code namespace:key}, knowing which values inside a key are encrypted.
     *
     * @param secretPaths {@code namespace:key} followed by the path of each encrypted value inside it
     *                    ({@code registry-pull-access:otherRegistries[0].password}); null when unknown
     */
    static ConfigSource of(Map<String, String> values, Set<String> secretKeys, Set<String> secretPaths) {
        return new ConfigSource() {
            @Override
            public boolean isSecret(String namespace, String key, String path) {
                return secretPaths == null
                        ? isSecret(namespace, key)
                        : secretPaths.contains(namespace + ":" + key + path);
            }

            @Override
            public Optional<String> get(String namespace, String key) {
                return Optional.ofNullable(values.get(namespace + ":" + key));
            }

            @Override
            public boolean isSecret(String namespace, String key) {
                return secretKeys.contains(namespace + ":" + key);
            }

            @Override
            public Set<String> keys() {
                return values.keySet();
            }
        };
    }
}
