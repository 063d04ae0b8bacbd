package registrypullaccess.offline;

import com.google.gson.Gson;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.ConfigSource;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

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
 * @param secretKeys      the keys whose values are encrypted in the file, wholly or in part
 * @param secretPaths     each encrypted value: its key and its path inside it, e.g.
 *                        {@code registry-pull-access:otherRegistries[0].password}; what {@code pulumi up} does
 *                        not tell the program, which only learns that a key holds some secret
 * @param secretsProvider the {@code secretsprovider:} line's value, empty when there is none
 * @param encryptedKey    whether the file carries an {@code encryptedkey:}
 */
public record StackFile(
        Path path,
        Map<String, String> values,
        Set<String> secretKeys,
        Set<String> secretPaths,
        String secretsProvider,
        boolean encryptedKey) {

    public static final String ENCRYPTED_PLACEHOLDER = "[encrypted in the stack file]";

    /** The top-level keys the Pulumi CLI writes into a stack file that this project uses. */
    public static final Set<String> TOP_LEVEL_KEYS =
            Set.of("config", "secretsprovider", "encryptedkey", "encryptionsalt");

    /**
     * Reads a stack file.
     *
     * @throws IOException when it cannot be read or is not a stack file; a YAML error's message starts
     *                     with {@code FILE:LINE:COLUMN:}
     */
    public static StackFile load(Path path) throws IOException {
        Object document;
        try (Reader reader = Files.newBufferedReader(path)) {
            document = yaml().load(reader);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            var where = mark == null ? "" : ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            var problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new IOException(path + where + ": " + problem.replace('\n', ' '), e);
        } catch (YAMLException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
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
            return new StackFile(path, Map.of(), Set.of(), Set.of(), secretsProvider, encryptedKey);
        }
        if (!(config instanceof Map<?, ?> entries)) {
            throw new IOException(path + ": `config:` must be a mapping of keys to values");
        }
        var gson = new Gson();
        var values = new LinkedHashMap<String, String>();
        var secretKeys = new TreeSet<String>();
        var secretPaths = new TreeSet<String>();
        for (var entry : entries.entrySet()) {
            var key = String.valueOf(entry.getKey());
            // The CLI reads a key without a namespace as one of the project's own.
            var qualified = key.contains(":") ? key : ConfigKeys.PROJECT + ":" + key;
            var value = hideEncrypted(entry.getValue(), qualified, secretPaths);
            if (!Objects.equals(value, entry.getValue())) {
                // As in the CLI: one encrypted value anywhere in a key makes the whole key secret.
                secretKeys.add(qualified);
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                values.put(qualified, gson.toJson(value));
            } else {
                values.put(qualified, scalar(value));
            }
        }
        return new StackFile(
                path,
                Map.copyOf(values),
                Set.copyOf(secretKeys),
                Set.copyOf(secretPaths),
                secretsProvider,
                encryptedKey);
    }

    /**
     * A YAML reader that reads what the Pulumi CLI reads, as it reads it: YAML 1.2's core schema (the CLI's
     * go-yaml v3), so {@code yes}, {@code on} and {@code 010} are the string "yes", the string "on" and the
     * number 10, not YAML 1.1's true, true and 8; a repeated key is an error, not the last value; and only
     * the core schema's tags ({@code !!str}, {@code !!int}, ...), never a class name such as
     * {@code !!java.net.URL} nor {@code !!set}, {@code !!binary} or {@code !!timestamp}.
     */
    private static Yaml yaml() {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setTagInspector(tag -> false);
        return new Yaml(
                new CoreSchemaConstructor(options),
                new Representer(new DumperOptions()),
                new DumperOptions(),
                options,
                new CoreSchemaResolver());
    }

    /** YAML 1.2 core schema: which plain scalars are null, booleans, integers and floats. */
    private static final class CoreSchemaResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF", 10);
            addImplicitResolver(
                    Tag.INT, Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789", 100);
            addImplicitResolver(
                    Tag.FLOAT,
                    Pattern.compile("^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)"
                            + "(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
                    "-+.0123456789",
                    100);
            addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL)$"), "~nN", 10);
            addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null, 10);
        }
    }

    /** Builds the core schema's values only; any other tag is an error at its line. */
    private static final class CoreSchemaConstructor extends SafeConstructor {
        CoreSchemaConstructor(LoaderOptions options) {
            super(options);
            var core = Set.of(Tag.NULL, Tag.BOOL, Tag.INT, Tag.FLOAT, Tag.STR, Tag.SEQ, Tag.MAP);
            // The null key is the constructor of last resort, which fails on an unknown tag: it stays.
            yamlConstructors.keySet().removeIf(tag -> tag != null && !core.contains(tag));
            yamlConstructors.put(Tag.BOOL, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return Boolean.valueOf(constructScalar((ScalarNode) node).toLowerCase(Locale.ROOT));
                }
            });
            yamlConstructors.put(Tag.INT, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    var text = constructScalar((ScalarNode) node);
                    var number = text.startsWith("0o")
                            ? new BigInteger(text.substring(2), 8)
                            : text.startsWith("0x") ? new BigInteger(text.substring(2), 16) : new BigInteger(text);
                    return number.bitLength() < 64 ? (Object) number.longValue() : number;
                }
            });
            yamlConstructors.put(Tag.FLOAT, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    var text = constructScalar((ScalarNode) node).toLowerCase(Locale.ROOT);
                    return text.endsWith(".inf")
                            ? (text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                            : text.equals(".nan") ? Double.NaN : Double.valueOf(text);
                }
            });
        }
    }

    /** A scalar as the CLI passes it: booleans and numbers as their JSON text, null as empty. */
    private static String scalar(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double number && !number.isNaN() && !number.isInfinite()) {
            // As Go's encoding/json writes a float64: no ".0", no exponent for ordinary sizes.
            return Math.abs(number) < 1e21 && (number == 0 || Math.abs(number) >= 1e-6)
                    ? BigDecimal.valueOf(number).stripTrailingZeros().toPlainString()
                    : String.valueOf(number);
        }
        return String.valueOf(value);
    }

    /**
     * The value with every {@code secure:} value, however deep, replaced by the placeholder; equal to the
     * value exactly when it holds none.
     */
    private static Object hideEncrypted(Object value, String path, Set<String> secretPaths) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("secure")) {
                secretPaths.add(path);
                return ENCRYPTED_PLACEHOLDER;
            }
            var copy = new LinkedHashMap<Object, Object>();
            map.forEach((key, item) -> copy.put(key, hideEncrypted(item, path + "." + key, secretPaths)));
            return copy;
        }
        if (value instanceof List<?> list) {
            var copy = new ArrayList<Object>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(hideEncrypted(list.get(i), path + "[" + i + "]", secretPaths));
            }
            return copy;
        }
        return value;
    }

    public ConfigSource config() {
        return ConfigSource.of(values, secretKeys, secretPaths);
    }
}
