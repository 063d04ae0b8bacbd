package registrypullaccess;

import com.pulumi.Context;

import java.util.Map;
import java.util.Optional;

/**
 * Raw stack configuration as Pulumi hands it to a program: a string per {@code namespace:key}, with
 * lists and objects as JSON text. Both {@code pulumi up} (through {@link Context}) and a stack file read
 * from disk look the same through it, so one validation serves both.
 */
@FunctionalInterface
public interface ConfigSource {

    Optional<String> get(String namespace, String key);

    static ConfigSource of(Context ctx) {
        return (namespace, key) -> ctx.config(namespace).get(key);
    }

    /** Values keyed {@code namespace:key}, as in a stack file. */
    static ConfigSource of(Map<String, String> values) {
        return (namespace, key) -> Optional.ofNullable(values.get(namespace + ":" + key));
    }
}
