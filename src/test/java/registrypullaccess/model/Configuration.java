package registrypullaccess.model;

import com.google.gson.Gson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack configuration of the matrix: the keys of this program ({@code registry-pull-access:}), as the CLI passes
 * them, plus {@code gcp:project}.
 */
record Configuration(String name, Map<String, String> keys) {

    static final String PROJECT = "acme-dev";
    private static final Gson GSON = new Gson();

    static Configuration of(String name, String... keysAndValues) {
        var keys = new LinkedHashMap<String, String>();
        keys.put("registries", "[\"eu.gcr.io\"]");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            keys.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Configuration(name, Map.copyOf(keys));
    }

    /** The same with one key set, named after it. */
    Configuration with(String key, String value) {
        return with(name + ", " + key + " " + value, key, value);
    }

    /** The same with one key set, under another name. */
    Configuration with(String otherName, String key, String value) {
        var changed = new LinkedHashMap<>(keys);
        changed.put(key, value);
        return new Configuration(otherName, Map.copyOf(changed));
    }

    /** The configuration as the CLI hands it to the program. */
    Map<String, String> config() {
        var config = new LinkedHashMap<String, String>();
        config.put("gcp:project", PROJECT);
        keys.forEach((key, value) -> config.put("registry-pull-access:" + key, value));
        return config;
    }

    Optional<String> key(String key) {
        return Optional.ofNullable(keys.get(key));
    }

    boolean detach() {
        return key("detach").map(Boolean::parseBoolean).orElse(false);
    }

    boolean clusterWide() {
        return key("allNamespaces").map(Boolean::parseBoolean).orElse(false) || keys.containsKey("namespaceSelector");
    }

    List<String> serviceAccounts() {
        return key("serviceAccounts").map(Configuration::strings).orElse(List.of("default"));
    }

    List<String> excluded() {
        return key("excludeNamespaces").map(Configuration::strings).orElse(List.of());
    }

    @SuppressWarnings("unchecked")
    Map<String, String> selector() {
        return key("namespaceSelector")
                .map(json -> (Map<String, String>) GSON.fromJson(json, Map.class))
                .orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(String json) {
        return new ArrayList<>(GSON.fromJson(json, List.class));
    }
}
