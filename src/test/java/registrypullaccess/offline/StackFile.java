package registrypullaccess.offline;

import com.google.gson.Gson;
import registrypullaccess.ConfigSource;
import registrypullaccess.Settings;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stack file ({@code Pulumi.dev.yaml}, {@code stacks/Pulumi.prod.yaml}) read the way the Pulumi CLI
 * hands it to a program: {@code namespace:key} to a string, lists and objects as JSON. Encrypted
 * values ({@code secure:}) cannot be read without the stack's secrets provider; their keys are listed
 * in {@link #secretKeys()} and their values replaced by a placeholder.
 *
 * <p>Besides {@code config:}, the CLI writes the stack's secrets provider at the top of the file:
 * {@code secretsprovider: gcpkms://projects/P/locations/global/keyRings/R/cryptoKeys/K} and, for a cloud
 * provider, {@code encryptedkey:} (the stack's data key, encrypted by that KMS key); for a passphrase,
 * {@code encryptionsalt:}. Any other top-level key is rejected: a misspelt {@code secretProvider:} would
 * otherwise be ignored by the CLI too, which would then ask for a passphrase.
 *
 * @param path            where it was read from
 * @param values          the configuration, keyed {@code namespace:key}
 * @param secretKeys      the keys whose values are encrypted in the file
 * @param secretsProvider the {@code secretsprovider:} line's value, empty when there is none
 * @param encryptedKey    whether the file carries an {@code encryptedkey:}
 */
public record StackFile(Path path, Map<String, String> values, Set<String> secretKeys, String secretsProvider,
                        boolean encryptedKey) {

    public static final String ENCRYPTED_PLACEHOLDER = "[encrypted in the stack file]";

    /** The top-level keys the Pulumi CLI writes into a stack file that this project uses. */
    public static final Set<String> TOP_LEVEL_KEYS = Set.of("config", "secretsprovider", "encryptedkey",
            "encryptionsalt");

    public static StackFile load(Path path) throws IOException {
        Object document;
        try (Reader reader = Files.newBufferedReader(path)) {
            document = new Yaml().load(reader);
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new IOException(path + " is not a stack file: expected a YAML mapping with a `config:` key");
        }
        for (var key : top.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(String.valueOf(key))) {
                throw new IOException(path + ": unknown top-level key `" + key + "`; a stack file has "
                        + new TreeSet<>(TOP_LEVEL_KEYS));
            }
        }
        var provider = top.get("secretsprovider");
        var secretsProvider = provider == null ? "" : String.valueOf(provider);
        var encryptedKey = top.get("encryptedkey") != null;
        var config = top.get("config");
        if (config == null) {
            return new StackFile(path, Map.of(), Set.of(), secretsProvider, encryptedKey);
        }
        if (!(config instanceof Map<?, ?> entries)) {
            throw new IOException(path + ": `config:` must be a mapping of keys to values");
        }
        var gson = new Gson();
        var values = new LinkedHashMap<String, String>();
        var secretKeys = new TreeSet<String>();
        for (var entry : entries.entrySet()) {
            var key = String.valueOf(entry.getKey());
            // The CLI reads a key without a namespace as one of the project's own.
            var qualified = key.contains(":") ? key : Settings.PROJECT + ":" + key;
            var value = hideEncrypted(entry.getValue());
            if (!value.equals(entry.getValue())) {
                // As in the CLI: one encrypted value anywhere in a key makes the whole key secret.
                secretKeys.add(qualified);
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                values.put(qualified, gson.toJson(value));
            } else {
                values.put(qualified, value == null ? "" : String.valueOf(value));
            }
        }
        return new StackFile(path, Map.copyOf(values), Set.copyOf(secretKeys), secretsProvider, encryptedKey);
    }

    /**
     * The value with every {@code secure:} value, however deep, replaced by the placeholder; equal to the
     * value exactly when it holds none.
     */
    private static Object hideEncrypted(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("secure")) {
                return ENCRYPTED_PLACEHOLDER;
            }
            var copy = new LinkedHashMap<Object, Object>();
            map.forEach((key, item) -> copy.put(key, hideEncrypted(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(StackFile::hideEncrypted).toList();
        }
        return value;
    }

    public ConfigSource config() {
        return ConfigSource.of(values, secretKeys);
    }
}
