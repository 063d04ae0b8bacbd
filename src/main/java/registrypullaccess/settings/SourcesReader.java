package registrypullaccess.settings;

import com.google.gson.JsonElement;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.LegacyStorageBucket;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectWideReader;
import registrypullaccess.registry.PullSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import static registrypullaccess.settings.ConfigKeys.key;

/** Reads the registries to pull from: {@code registries}, {@code legacyStorage}, {@code projectWideReaders}, {@code otherRegistries}. */
final class SourcesReader {

    private final ConfigValues values;
    private final Problems problems;

    SourcesReader(ConfigValues values) {
        this.values = values;
        this.problems = values.problems();
    }

    /**
     * Whether the stack pulls from Google at all, read before the registries are parsed so that a bad entry
     * still needs a project: only explicitly empty Google lists (or keyless mode off with other registries
     * alone) need none.
     */
    boolean googleRegistriesConfigured() {
        if (values.raw("keyless").filter("true"::equals).isPresent()
                || values.raw("credentials").filter("node"::equals).isPresent()) {
            return true;
        }
        var registries = values.raw("registries");
        return registries.isEmpty()
                || !ConfigValues.isEmptyList(registries.get())
                || values.raw("legacyStorage")
                        .filter(raw -> !ConfigValues.isEmptyList(raw))
                        .isPresent()
                || values.raw("projectWideReaders")
                        .filter(raw -> !ConfigValues.isEmptyList(raw))
                        .isPresent();
    }

    /** Every entry that parses, in configuration order; a problem for each that does not. */
    List<PullSource> read(String project, Optional<String> email) {
        var sources = new ArrayList<PullSource>();
        sources.addAll(parseEach("registries", values.list("registries", null), project, ArtifactRepository::parse));
        sources.addAll(parseEach(
                "legacyStorage", values.list("legacyStorage", List.of()), project, LegacyStorageBucket::parse));
        sources.addAll(parseEach(
                "projectWideReaders", values.list("projectWideReaders", List.of()), project, ProjectWideReader::parse));
        sources.addAll(readOtherRegistries(email));
        return sources;
    }

    private List<PullSource> parseEach(
            String name, Optional<List<String>> entries, String project, BiFunction<String, String, PullSource> parse) {
        var sources = new ArrayList<PullSource>();
        for (var entry : entries.orElse(List.of())) {
            try {
                sources.add(parse.apply(entry, project));
            } catch (IllegalArgumentException e) {
                problems.add(key(name) + ": " + e.getMessage());
            }
        }
        return sources;
    }

    private List<PullSource> readOtherRegistries(Optional<String> email) {
        var name = "otherRegistries";
        var raw = values.raw(name);
        if (raw.isEmpty()) {
            return List.of();
        }
        var howToSet = howToSet("Set each", 0);
        if (!values.isSecret(name)) {
            // Never repeat the value: it holds the passwords.
            problems.add(key(name) + " holds passwords in plain text in the stack file. Remove it with "
                    + "`pulumi config rm " + key(name) + "` and store each password as a secret. " + howToSet);
            return List.of();
        }
        var parsed =
                ConfigValues.json(raw.get()).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray);
        if (parsed.isEmpty()) {
            problems.add(key(name) + " must be a list of objects with host, username and password. " + howToSet);
            return List.of();
        }
        var registries = new ArrayList<PullSource>();
        var index = 0;
        for (var item : parsed.get()) {
            var at = key(name) + "[" + index + "]";
            var howToSetThis = howToSet("Set it", index++);
            if (!item.isJsonObject()) {
                problems.add(at + " must be an object with host, username and password. " + howToSetThis);
                continue;
            }
            var object = item.getAsJsonObject();
            var host = ConfigValues.field(object, "host");
            var username = ConfigValues.field(object, "username");
            var password = ConfigValues.field(object, "password");
            if (host.isEmpty() || username.isEmpty() || password.isEmpty()) {
                problems.add(at + " needs host, username and password, each a string. " + howToSetThis);
                continue;
            }
            if (!values.isSecret(name, "[" + (index - 1) + "].password")) {
                // Never repeat the value: it is the password.
                problems.add(at + ".password is in plain text in the stack file, beside encrypted values of "
                        + key(name) + ". Store it as a secret: `pulumi config set --secret --path '" + name + "["
                        + (index - 1) + "].password' PASSWORD`.");
                continue;
            }
            try {
                registries.add(OtherRegistry.of(host.get(), username.get(), password.get(), email));
            } catch (IllegalArgumentException e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
        return registries;
    }

    /** How to set the entry at {@code index} of otherRegistries, its password as a secret. */
    private static String howToSet(String set, int index) {
        var entry = "otherRegistries[" + index + "]";
        return set + " with `pulumi config set --path '" + entry + ".host' ghcr.io`, `pulumi config set --path '"
                + entry + ".username' USER` and `pulumi config set --secret --path '" + entry + ".password' PASSWORD`.";
    }
}
