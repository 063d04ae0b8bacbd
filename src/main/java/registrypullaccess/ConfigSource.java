package registrypullaccess;

import com.pulumi.Context;
import com.pulumi.core.internal.Internal;
import com.pulumi.deployment.Deployment;

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
        };
    }

    /** Values keyed {@code namespace:key}, as in a stack file. */
    static ConfigSource of(Map<String, String> values, Set<String> secretKeys) {
        return new ConfigSource() {
            @Override
            public Optional<String> get(String namespace, String key) {
                return Optional.ofNullable(values.get(namespace + ":" + key));
            }

            @Override
            public boolean isSecret(String namespace, String key) {
                return secretKeys.contains(namespace + ":" + key);
            }
        };
    }
}
