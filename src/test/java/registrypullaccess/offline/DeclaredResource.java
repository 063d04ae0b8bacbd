package registrypullaccess.offline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One resource as the program registered it with the engine: what {@code pulumi preview} would be told.
 *
 * @param urn           the resource's URN
 * @param type          its type token, e.g. {@code kubernetes:core/v1:Secret}
 * @param name          its logical name
 * @param parentUrn     the URN of its parent (the stack for top-level resources)
 * @param dependencies  the URNs it depends on, explicitly or through its inputs
 * @param inputs        its inputs; a secret value is wrapped in {@link SecretValue}
 * @param options       the resource options that matter for safety (protect, importId, ...); aliases as
 *                      the URNs the engine resolves them to, what the alias leaves out filled in from the resource
 */
public record DeclaredResource(
        String urn,
        String type,
        String name,
        String parentUrn,
        Set<String> dependencies,
        Map<String, Object> inputs,
        Options options) {

    /**
     * A resource the program read rather than declared ({@code Resource.get}): the engine reads it, and a read of a
     * resource the stack managed, under its name and id, releases it from the stack without deleting it.
     */
    public record Read(String urn, String type, String id) {}

    /** A value the engine is told to keep secret. */
    public record SecretValue(Object value) {
        @Override
        public String toString() {
            return "[secret]";
        }
    }

    /**
     * The options of a registration that change what an update or a destroy does.
     *
     * @param deleteBeforeReplace the program's choice, when it made one: it overrides the provider's (pulumi v3.253.0,
     *                            {@code pkg/resource/deploy/step_generator.go}: {@code if goal.DeleteBeforeReplace !=
     *                            nil})
     */
    public record Options(
            boolean protect,
            Optional<String> importId,
            Optional<Boolean> deleteBeforeReplace,
            boolean retainOnDelete,
            List<String> additionalSecretOutputs,
            List<String> ignoreChanges,
            List<String> aliases,
            List<String> replaceOnChanges) {}

    /**
     * The other names this resource's aliases give it: names it had before, whose state it keeps. (Provider
     * SDKs add aliases of their own, to older type tokens under the same name.)
     */
    public List<String> aliasNames() {
        return options.aliases().stream()
                .map(alias -> alias.substring(alias.lastIndexOf("::") + 2))
                .filter(alias -> !alias.equals(name))
                .toList();
    }

    /** Its URN as the engine makes it, which the SDK's mocks do not quite: see {@link RecordingMonitor#engineUrn}. */
    public String engineUrn() {
        return RecordingMonitor.engineUrn(urn);
    }

    /** The input at a path such as {@code "metadata", "namespace"}, secrets unwrapped. */
    public Object input(String... path) {
        Object value = inputs;
        for (var segment : path) {
            value = unwrap(value);
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(segment);
        }
        return unwrap(value);
    }

    /** Whether the input at a path, or anything around it, is marked secret. */
    public boolean isSecret(String... path) {
        Object value = inputs;
        for (var segment : path) {
            if (value instanceof SecretValue) {
                return true;
            }
            if (!(value instanceof Map<?, ?> map)) {
                return false;
            }
            value = map.get(segment);
        }
        return value instanceof SecretValue;
    }

    private static Object unwrap(Object value) {
        return value instanceof SecretValue secret ? secret.value() : value;
    }
}
