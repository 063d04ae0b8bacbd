package registrypullaccess.settings;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static registrypullaccess.settings.ConfigKeys.PROJECT;
import static registrypullaccess.settings.ConfigKeys.key;

/**
 * This program's config values as types: booleans, whole numbers, strings, lists of strings and JSON. A value of
 * the wrong type is recorded as a problem, saying how to write it, and read as its default (or as nothing), so
 * that reading goes on and one run names every problem.
 */
final class ConfigValues {

    private final ConfigSource config;
    private final Problems problems;
    private final Set<String> standIns = new LinkedHashSet<>();

    ConfigValues(ConfigSource config, Problems problems) {
        this.config = config;
        this.problems = problems;
    }

    /** Where every problem found while reading is recorded. */
    Problems problems() {
        return problems;
    }

    /**
     * The keys whose invalid value was read as a stand-in, so that the records between which {@link SettingsRules}
     * judge can still be built: the rules that read one of them are skipped, since they would judge the stand-in.
     */
    Set<String> standIns() {
        return Set.copyOf(standIns);
    }

    /**
     * The value when it breaks none of its own rules; else, with its problems recorded, the stand-in, and the key
     * counted among the {@link #standIns()}.
     */
    <T> T valid(String name, T value, Function<T, List<String>> rules, T standIn) {
        var found = rules.apply(value);
        problems.addAll(found);
        if (found.isEmpty()) {
            return value;
        }
        standIns.add(name);
        return standIn;
    }

    /** Records that a key's value, left unread, is stood in for; see {@link #standIns()}. */
    void standIn(String name) {
        standIns.add(name);
    }

    /** The value as set, even empty. */
    Optional<String> raw(String name) {
        return config.get(PROJECT, name);
    }

    /** The value, unless unset or empty (the Pulumi CLI passes an empty default as if it were set). */
    Optional<String> nonEmpty(String name) {
        return raw(name).filter(value -> !value.isEmpty());
    }

    boolean isSecret(String name) {
        return config.isSecret(PROJECT, name);
    }

    /** Whether the value at a path inside the key was stored encrypted; see {@link ConfigSource}. */
    boolean isSecret(String name, String path) {
        return config.isSecret(PROJECT, name, path);
    }

    boolean bool(String name) {
        var value = raw(name).orElse("false");
        problems.when(
                !value.equals("true") && !value.equals("false"),
                () -> key(name) + ": \"" + value + "\" is not true or false.");
        return value.equals("true");
    }

    int integer(String name, int defaultValue) {
        var value = raw(name);
        try {
            return value.map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            problems.add(key(name) + ": \"" + value.get() + "\" is not a whole number.");
            return defaultValue;
        }
    }

    String string(String name, String defaultValue) {
        return nonEmpty(name).orElse(defaultValue);
    }

    /**
     * A list of strings, or the default when unset (null: the key is required); empty, with the
     * problem recorded, when it is missing or not a list.
     */
    Optional<List<String>> list(String name, List<String> defaultValue) {
        var raw = raw(name);
        if (raw.isEmpty()) {
            if (defaultValue == null) {
                problems.add(key(name) + " is not set. Set it with `pulumi config set --path '" + name
                        + "[0]' VALUE` (one line per entry), or in the stack file as a YAML list.");
            }
            return Optional.ofNullable(defaultValue);
        }
        var values = json(raw.get()).flatMap(ConfigValues::stringArray);
        if (values.isEmpty()) {
            problems.add(key(name) + " must be a list of strings, got " + raw.get() + ". Set it with "
                    + "`pulumi config set --path '" + name + "[0]' VALUE`, or in the stack file as a YAML list.");
            return Optional.empty();
        }
        problems.when(
                values.get().stream().anyMatch(String::isBlank), () -> key(name) + " has an empty entry; remove it.");
        return Optional.of(
                values.get().stream().filter(value -> !value.isBlank()).toList());
    }

    /** Structured values (lists, objects) as Pulumi hands them over: JSON text; empty when it is not JSON. */
    static Optional<JsonElement> json(String raw) {
        try {
            return Optional.of(JsonParser.parseString(raw));
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    static boolean isEmptyList(String raw) {
        return json(raw)
                .filter(JsonElement::isJsonArray)
                .map(json -> json.getAsJsonArray().isEmpty())
                .orElse(false);
    }

    /** A string field of a JSON object; empty when missing or not a string. */
    static Optional<String> field(JsonObject object, String name) {
        var value = object.get(name);
        return value != null
                        && value.isJsonPrimitive()
                        && value.getAsJsonPrimitive().isString()
                ? Optional.of(value.getAsString())
                : Optional.empty();
    }

    private static Optional<List<String>> stringArray(JsonElement element) {
        if (!element.isJsonArray()) {
            return Optional.empty();
        }
        var values = new ArrayList<String>();
        for (var item : element.getAsJsonArray()) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                return Optional.empty();
            }
            values.add(item.getAsString());
        }
        return Optional.of(values);
    }
}
