package registrypullaccess.model;

import com.google.gson.Gson;
import registrypullaccess.offline.DeclaredResource;
import registrypullaccess.offline.OfflineRun;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an earlier version of the program declared for a configuration, recorded as JSON under
 * {@code src/test/resources/model/}: the model deploys it as that version's {@code pulumi up} would have, so that
 * upgrading a live stack to today's program is a transition like any other. A recording holds the commit it was
 * taken at, the configuration's keys, the stack outputs and every registered resource; a secret value is written
 * {@code {"$secret": value}}, numbers as the engine passes them (doubles).
 */
record Recording(String commit, Map<String, String> keys, OfflineRun run) {

    /** Listed token mode as it minted in every namespace, before one minter in the home namespace (issue 22). */
    static final List<String> BEFORE_ONE_MINTER = List.of(
                    "token-listed",
                    "token-listed-verifyImage",
                    "token-listed-OIDC",
                    "token-listed-serviceAccountId",
                    "token-listed-ghcr-io")
            .stream()
            .map(name -> "before-one-minter/" + name + ".json")
            .toList();

    private static final Gson GSON = new Gson();

    /** The recording {@code resource} under {@code src/test/resources/model/}, e.g. {@code before-one-minter/token-listed.json}. */
    static Recording load(String resource) {
        try (var in = Recording.class.getResourceAsStream("/model/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + resource);
            }
            Map<?, ?> document = GSON.fromJson(new InputStreamReader(in, StandardCharsets.UTF_8), Map.class);
            var keys = new LinkedHashMap<String, String>();
            ModelKyverno.map(document.get("configuration")).forEach((key, value) -> keys.put(key, (String) value));
            var resources = ModelKyverno.list(document.get("resources")).stream()
                    .map(entry -> resource(ModelKyverno.map(entry)))
                    .toList();
            return new Recording(
                    (String) document.get("commit"),
                    keys,
                    new OfflineRun(
                            resources,
                            ModelKyverno.map(decode(document.get("outputs"))),
                            List.of(),
                            List.of(),
                            List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DeclaredResource resource(Map<String, Object> entry) {
        var options = ModelKyverno.map(entry.get("options"));
        return new DeclaredResource(
                (String) entry.get("urn"),
                (String) entry.get("type"),
                (String) entry.get("name"),
                (String) entry.get("parentUrn"),
                new LinkedHashSet<>(strings(entry.get("dependencies"))),
                ModelKyverno.map(decode(entry.get("inputs"))),
                new DeclaredResource.Options(
                        (Boolean) options.get("protect"),
                        Optional.ofNullable((String) options.get("importId")),
                        // Recorded as a plain boolean: true was the program's choice; false, in these recordings,
                        // was no choice (3a54bb4 set deleteBeforeReplace(false) only on the key, which token mode
                        // does not declare).
                        Optional.of((Boolean) options.get("deleteBeforeReplace"))
                                .filter(Boolean::booleanValue),
                        (Boolean) options.get("retainOnDelete"),
                        strings(options.get("additionalSecretOutputs")),
                        strings(options.get("ignoreChanges")),
                        strings(options.get("aliases")),
                        strings(options.get("replaceOnChanges"))));
    }

    private static Object decode(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("$secret")) {
                return new DeclaredResource.SecretValue(decode(map.get("$secret")));
            }
            var decoded = new LinkedHashMap<String, Object>();
            map.forEach((key, entry) -> decoded.put((String) key, decode(entry)));
            return decoded;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Recording::decode).toList();
        }
        return value;
    }

    private static List<String> strings(Object value) {
        return ModelKyverno.list(value).stream().map(String.class::cast).toList();
    }
}
