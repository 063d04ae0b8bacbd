package registrypullaccess;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import registrypullaccess.registry.GoogleRegistry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Everything one stack deploys, read once from the stack configuration and validated, so that bad input
 * fails before any resource is declared and nothing is half-created.
 *
 * @param gcpProject       the project the service account is created in ({@code gcp:project})
 * @param registries       the repositories to grant read access to, in configuration order
 * @param namespaces       the namespaces that get the pull secret
 * @param serviceAccountId the GCP service account id
 * @param secretName       the name of the pull secret in every namespace
 * @param email            the optional e-mail written to the docker config, like {@code --docker-email}
 */
public record Settings(
        String gcpProject,
        List<GoogleRegistry> registries,
        List<String> namespaces,
        String serviceAccountId,
        String secretName,
        Optional<String> email) {

    /** The Pulumi project name, which is also the namespace of this program's config keys. */
    public static final String PROJECT = "registry-pull-access";

    public static final List<String> DEFAULT_NAMESPACES = List.of("default");
    public static final String DEFAULT_SERVICE_ACCOUNT_ID = "image-puller";
    public static final String DEFAULT_SECRET_NAME = "registry-pull-secret";

    private static final Pattern RFC_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern RFC_1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern SERVICE_ACCOUNT_ID = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    public Settings {
        Objects.requireNonNull(gcpProject, "gcpProject");
        registries = List.copyOf(registries);
        namespaces = List.copyOf(namespaces);
        Objects.requireNonNull(serviceAccountId, "serviceAccountId");
        Objects.requireNonNull(secretName, "secretName");
        Objects.requireNonNull(email, "email");
    }

    /** The registry hosts written to the pull secret, each once, sorted. */
    public List<String> registryHosts() {
        var hosts = new TreeSet<String>();
        registries.forEach(registry -> hosts.add(registry.host()));
        return List.copyOf(hosts);
    }

    /**
     * Reads and validates the stack configuration.
     *
     * @throws InvalidSettingsException naming every bad key, its value and the rule it breaks
     */
    public static Settings fromConfig(ConfigSource config) {
        var problems = new ArrayList<String>();

        var gcpProject = config.get("gcp", "project").filter(value -> !value.isBlank());
        if (gcpProject.isEmpty()) {
            problems.add("gcp:project is not set: the project to create the service account in. "
                    + "Set it with `pulumi config set gcp:project YOUR_PROJECT_ID`.");
        }
        gcpProject.filter(value -> !GoogleRegistry.isProjectId(value)).ifPresent(value ->
                problems.add("gcp:project: \"" + value + "\" is not a project id (6 to 30 lowercase letters, "
                        + "digits and '-', starting with a letter); `gcloud projects list` shows yours."));
        var project = gcpProject.orElse("");

        var registryEntries = readList(config, "registries", null, problems);
        if (registryEntries != null && registryEntries.isEmpty()) {
            problems.add(key("registries") + " is empty: list at least one registry, e.g. "
                    + "`pulumi config set --path 'registries[0]' eu.gcr.io`.");
        }
        var entriesByRegistry = new LinkedHashMap<GoogleRegistry, String>();
        for (var entry : registryEntries == null ? List.<String>of() : registryEntries) {
            try {
                var registry = GoogleRegistry.parse(entry, project);
                var earlier = entriesByRegistry.putIfAbsent(registry, entry);
                if (earlier != null) {
                    problems.add(key("registries") + ": \"" + entry + "\" and \"" + earlier + "\" name the same "
                            + "repository (" + registry.repository() + " in " + registry.project() + "); list it once.");
                }
            } catch (IllegalArgumentException e) {
                problems.add(key("registries") + ": " + e.getMessage());
            }
        }
        var registries = List.copyOf(entriesByRegistry.keySet());

        var namespaces = readList(config, "namespaces", DEFAULT_NAMESPACES, problems);
        if (namespaces != null && namespaces.isEmpty()) {
            problems.add(key("namespaces") + " is empty: list at least one namespace, or remove the key "
                    + "to use [\"default\"].");
        }
        for (var namespace : namespaces == null ? List.<String>of() : namespaces) {
            if (!RFC_1123_LABEL.matcher(namespace).matches()) {
                problems.add(key("namespaces") + ": \"" + namespace + "\" is not a namespace name: use at most "
                        + "63 lowercase letters, digits and '-', starting and ending with a letter or digit "
                        + "(an RFC 1123 label).");
            }
        }
        reportDuplicates("namespaces", namespaces, problems);

        var serviceAccountId = readString(config, "serviceAccountId", DEFAULT_SERVICE_ACCOUNT_ID);
        if (serviceAccountId.length() < 6 || serviceAccountId.length() > 30
                || !SERVICE_ACCOUNT_ID.matcher(serviceAccountId).matches()) {
            problems.add(key("serviceAccountId") + ": \"" + serviceAccountId + "\" is not a service account id: "
                    + "use 6 to 30 lowercase letters, digits and '-', starting with a letter and not ending "
                    + "with '-'.");
        }

        var secretName = readString(config, "secretName", DEFAULT_SECRET_NAME);
        if (secretName.length() > 253 || !RFC_1123_SUBDOMAIN.matcher(secretName).matches()) {
            problems.add(key("secretName") + ": \"" + secretName + "\" is not a Secret name: use at most 253 "
                    + "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.");
        }

        var email = config.get(PROJECT, "email").filter(value -> !value.isEmpty());
        email.filter(value -> !EMAIL.matcher(value).matches()).ifPresent(value ->
                problems.add(key("email") + ": \"" + value + "\" is not an e-mail address; leave the key unset "
                        + "if you do not need one."));

        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new Settings(project, registries, namespaces, serviceAccountId, secretName, email);
    }

    private static String readString(ConfigSource config, String name, String defaultValue) {
        return config.get(PROJECT, name).filter(value -> !value.isEmpty()).orElse(defaultValue);
    }

    /** A list of strings, or null (with a problem recorded) when the value is not one. */
    private static List<String> readList(ConfigSource config, String name, List<String> defaultValue,
                                         List<String> problems) {
        var raw = config.get(PROJECT, name);
        if (raw.isEmpty()) {
            if (defaultValue == null) {
                problems.add(key(name) + " is not set. Set it with `pulumi config set --path '" + name
                        + "[0]' VALUE` (one line per entry), or in the stack file as a YAML list.");
            }
            return defaultValue;
        }
        var parsed = parseStringArray(raw.get());
        if (parsed.isEmpty()) {
            problems.add(key(name) + " must be a list of strings, got " + raw.get() + ". Set it with "
                    + "`pulumi config set --path '" + name + "[0]' VALUE`, or in the stack file as a YAML list.");
            return null;
        }
        var values = parsed.get();
        values.stream().filter(String::isBlank).findFirst().ifPresent(blank ->
                problems.add(key(name) + " has an empty entry; remove it."));
        return values.stream().filter(value -> !value.isBlank()).toList();
    }

    private static Optional<List<String>> parseStringArray(String json) {
        JsonElement element;
        try {
            element = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            return Optional.empty();
        }
        if (!element.isJsonArray()) {
            return Optional.empty();
        }
        JsonArray array = element.getAsJsonArray();
        var values = new ArrayList<String>();
        for (var item : array) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                return Optional.empty();
            }
            values.add(item.getAsString());
        }
        return Optional.of(values);
    }

    private static void reportDuplicates(String name, List<String> values, List<String> problems) {
        if (values == null) {
            return;
        }
        var seen = new HashSet<String>();
        values.stream().filter(value -> !seen.add(value)).distinct().forEach(duplicate ->
                problems.add(key(name) + ": \"" + duplicate + "\" is listed more than once; list it once."));
    }

    private static String key(String name) {
        return PROJECT + ":" + name;
    }
}
