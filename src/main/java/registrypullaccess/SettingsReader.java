package registrypullaccess;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.KeyRotation;
import registrypullaccess.registry.LegacyStorageBucket;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectWideReader;
import registrypullaccess.registry.PullSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import static registrypullaccess.Settings.PROJECT;
import static registrypullaccess.Settings.key;

/**
 * Reads one stack's configuration into {@link Settings}: turns strings into types, applies the rules of
 * each settings record and collects every problem before giving up, so one run names them all.
 */
final class SettingsReader {

    private final ConfigSource config;
    private final Problems problems = new Problems();

    SettingsReader(ConfigSource config) {
        this.config = config;
    }

    Settings read() {
        var project = config.get("gcp", "project").orElse("");
        problems.addAll(Settings.projectProblems(project));

        var email = config.get(PROJECT, "email").filter(value -> !value.isEmpty());
        var sources = readSources(project, email);
        var namespacesProblems = problems.list().size();
        var namespaces = readNames("namespaces", Settings.DEFAULT_NAMESPACES, KubernetesNames.RFC_1123_LABEL,
                KubernetesNames.NAMESPACE);
        var coverage = new CoverageReader().read(namespaces, problems.list().size() == namespacesProblems);
        var serviceAccounts = readNames("serviceAccounts", Settings.DEFAULT_SERVICE_ACCOUNTS,
                KubernetesNames.RFC_1123_SUBDOMAIN, KubernetesNames.SERVICE_ACCOUNT);
        var puller = readPuller(sources, email);
        var protect = readBoolean("protect");
        var pullCheck = readPullCheck(sources);
        if (puller.isPresent() && coverage.isPresent()) {
            problems.addAll(Settings.coverageProblems(coverage.get(), puller.get(), pullCheck));
        }

        var found = problems.list();
        if (!found.isEmpty()) {
            throw new InvalidSettingsException(found);
        }
        return new Settings(project, sources, coverage.orElseThrow(), serviceAccounts, puller.orElseThrow(), protect,
                pullCheck);
    }

    private List<PullSource> readSources(String project, Optional<String> email) {
        var before = problems.list().size();
        var sources = new ArrayList<PullSource>();
        var registries = readList("registries", null);
        sources.addAll(parseEach("registries", registries, project, ArtifactRepository::parse));
        sources.addAll(parseEach("legacyStorage", readList("legacyStorage", List.of()), project,
                LegacyStorageBucket::parse));
        sources.addAll(parseEach("projectWideReaders", readList("projectWideReaders", List.of()), project,
                ProjectWideReader::parse));
        sources.addAll(readOtherRegistries(email));
        if (problems.list().size() == before) {
            problems.addAll(Settings.sourceProblems(sources));
        }
        return sources;
    }

    /** The way of pulling; empty when its keys are wrong (the problems are recorded). */
    private Optional<Puller> readPuller(List<PullSource> sources, Optional<String> email) {
        var keyless = readBoolean("keyless");
        var nodeServiceAccount = config.get(PROJECT, "nodeServiceAccount").filter(value -> !value.isEmpty());
        var createNamespaces = readBoolean("createNamespaces");
        var adopt = readBoolean("adopt");
        if (keyless) {
            rejectInKeylessMode("createNamespaces", createNamespaces);
            rejectInKeylessMode("adopt", adopt);
            if (nodeServiceAccount.isEmpty()) {
                problems.add(key("keyless") + " is true but " + key("nodeServiceAccount") + " is not set: give the "
                        + "e-mail of the service account the cluster's nodes run as (`gcloud container node-pools "
                        + "describe POOL --cluster CLUSTER --format='value(config.serviceAccount)'`).");
                return Optional.empty();
            }
            var found = Puller.WithNodeIdentity.problems(nodeServiceAccount.get());
            problems.addAll(found);
            if (!found.isEmpty()) {
                return Optional.empty();
            }
            var puller = new Puller.WithNodeIdentity(nodeServiceAccount.get());
            problems.addAll(Settings.pullerProblems(sources, puller));
            return Optional.of(puller);
        }
        nodeServiceAccount.ifPresent(value -> problems.add(key("nodeServiceAccount") + " is only used with "
                + key("keyless") + " true; remove it, or turn keyless mode on."));
        var serviceAccountId = readString("serviceAccountId", Puller.WithKey.DEFAULT_SERVICE_ACCOUNT_ID);
        var keyRotationDays = readInteger("keyRotationDays", KeyRotation.DEFAULT_DAYS);
        var secretName = readString("secretName", PullSecretSettings.DEFAULT_NAME);
        var detach = readBoolean("detach");
        var before = problems.list().size();
        problems.addAll(Puller.WithKey.problems(serviceAccountId, keyRotationDays));
        problems.addAll(PullSecretSettings.problems(secretName, email));
        if (problems.list().size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Puller.WithKey(serviceAccountId, keyRotationDays, adopt,
                new PullSecretSettings(secretName, email, createNamespaces, detach)));
    }

    /**
     * The coverage keys. The Pulumi CLI hands the program every key's default from Pulumi.yaml as if it were
     * set, so a key counts as given only when its value differs from the default.
     */
    private final class CoverageReader {

        Optional<Coverage> read(List<String> namespaces, boolean namespacesValid) {
            var allNamespaces = readBoolean("allNamespaces");
            var selector = readSelector();
            var excluded = readList("excludeNamespaces", Coverage.ClusterWide.DEFAULT_EXCLUDED);
            var home = readString("homeNamespace", Coverage.ClusterWide.DEFAULT_HOME);
            var installKyverno = readBoolean("installKyverno");
            var clusterWide = allNamespaces || selector.map(map -> !map.isEmpty()).orElse(false);
            if (!clusterWide) {
                var notCovering = "; it only applies with " + key("allNamespaces") + " true or a "
                        + key("namespaceSelector") + ". Remove it, or turn cluster-wide coverage on.";
                excluded.filter(list -> !list.equals(Coverage.ClusterWide.DEFAULT_EXCLUDED)).ifPresent(list ->
                        problems.add(key("excludeNamespaces") + " is set to " + list + notCovering));
                problems.when(!home.equals(Coverage.ClusterWide.DEFAULT_HOME), () -> key("homeNamespace")
                        + " is set to \"" + home + "\"" + notCovering);
                problems.when(installKyverno, () -> key("installKyverno") + " is true" + notCovering);
                return namespacesValid ? Optional.of(new Coverage.Listed(namespaces)) : Optional.empty();
            }
            problems.when(allNamespaces && selector.isPresent(), () -> key("allNamespaces") + " is true and "
                    + key("namespaceSelector") + " is set: cover every namespace, or only those with the "
                    + "selector's labels. Remove one of them.");
            problems.when(!namespaces.equals(Settings.DEFAULT_NAMESPACES), () -> key("namespaces") + " lists "
                    + namespaces + " while " + (allNamespaces ? key("allNamespaces") + " is true" : key(
                    "namespaceSelector") + " is set") + ": cluster-wide coverage finds the namespaces in the "
                    + "cluster, a list names them. Remove namespaces (`pulumi config rm " + key("namespaces") + "`), "
                    + "or cluster-wide coverage.");
            if (excluded.isEmpty() || selector.isEmpty() && !allNamespaces) {
                return Optional.empty();
            }
            var found = Coverage.ClusterWide.problems(selector.orElse(Map.of()), excluded.get(), home);
            problems.addAll(found);
            if (!found.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Coverage.ClusterWide(selector.orElse(Map.of()), excluded.get(), home,
                    installKyverno));
        }

        /** The selector's labels; empty when unset or wrong (the problem recorded). */
        private Optional<Map<String, String>> readSelector() {
            var name = "namespaceSelector";
            var raw = config.get(PROJECT, name).filter(value -> !value.isEmpty());
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            var howToSet = "Set each label with `pulumi config set --path '" + name + ".team' payments`, or in the "
                    + "stack file as a YAML mapping of label to value.";
            var parsed = parseJson(raw.get()).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
            if (parsed.isEmpty()) {
                problems.add(key(name) + " must be a mapping of label to value, got " + raw.get() + ". " + howToSet);
                return Optional.empty();
            }
            var labels = new LinkedHashMap<String, String>();
            for (var entry : parsed.get().entrySet()) {
                var value = entry.getValue();
                if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                    problems.add(key(name) + ": the value of " + entry.getKey() + " must be a string, got " + value
                            + " (quote it in YAML: \"" + value + "\"). " + howToSet);
                    continue;
                }
                labels.put(entry.getKey(), value.getAsString());
            }
            if (labels.isEmpty() && parsed.get().size() == 0) {
                problems.add(key(name) + " is empty: it would select every namespace; say so with "
                        + key("allNamespaces") + " true, or list the labels. " + howToSet);
                return Optional.empty();
            }
            return Optional.of(labels);
        }
    }

    private void rejectInKeylessMode(String name, boolean set) {
        problems.when(set, () -> key(name) + " does nothing in keyless mode, which makes no service account, key, "
                + "Secret or namespace; remove it, or turn keyless mode off.");
    }

    private Optional<PullCheck> readPullCheck(List<PullSource> sources) {
        var image = config.get(PROJECT, "verifyImage").filter(value -> !value.isEmpty());
        var helperImage = readString("verifyHelperImage", PullCheck.DEFAULT_HELPER_IMAGE);
        problems.addAll(PullCheck.helperProblems(helperImage));
        var found = image.map(PullCheck::imageProblems).orElse(List.of());
        problems.addAll(found);
        if (image.isEmpty() || !found.isEmpty()) {
            return Optional.empty();
        }
        var check = new PullCheck(image.get(), helperImage);
        problems.addAll(Settings.pullCheckProblems(sources, check));
        return Optional.of(check);
    }

    /** A list of Kubernetes names, each valid and listed once. */
    private List<String> readNames(String name, List<String> defaultValue,
                                   Pattern rule, String what) {
        var list = readList(name, defaultValue);
        list.ifPresent(names -> problems.addAll(KubernetesNames.listProblems(name, names, rule, what, defaultValue)));
        return list.orElse(List.of());
    }

    private boolean readBoolean(String name) {
        var value = config.get(PROJECT, name).orElse("false");
        problems.when(!value.equals("true") && !value.equals("false"),
                () -> key(name) + ": \"" + value + "\" is not true or false.");
        return value.equals("true");
    }

    private int readInteger(String name, int defaultValue) {
        var value = config.get(PROJECT, name);
        try {
            return value.map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            problems.add(key(name) + ": \"" + value.get() + "\" is not a whole number.");
            return defaultValue;
        }
    }

    private String readString(String name, String defaultValue) {
        return config.get(PROJECT, name).filter(value -> !value.isEmpty()).orElse(defaultValue);
    }

    private List<PullSource> parseEach(String name, Optional<List<String>> entries, String project,
                                       BiFunction<String, String, PullSource> parse) {
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
        var raw = config.get(PROJECT, name);
        if (raw.isEmpty()) {
            return List.of();
        }
        var howToSet = "Set each with `pulumi config set --path '" + name + "[0].host' ghcr.io`, `pulumi config "
                + "set --path '" + name + "[0].username' USER` and `pulumi config set --secret --path '"
                + name + "[0].password' PASSWORD`.";
        if (!config.isSecret(PROJECT, name)) {
            // Never repeat the value: it holds the passwords.
            problems.add(key(name) + " holds passwords in plain text in the stack file. Remove it with "
                    + "`pulumi config rm " + key(name) + "` and store each password as a secret. " + howToSet);
            return List.of();
        }
        var parsed = parseJson(raw.get()).filter(JsonElement::isJsonArray).map(JsonElement::getAsJsonArray);
        if (parsed.isEmpty()) {
            problems.add(key(name) + " must be a list of objects with host, username and password. " + howToSet);
            return List.of();
        }
        var registries = new ArrayList<PullSource>();
        var index = 0;
        for (var item : parsed.get()) {
            var at = key(name) + "[" + index++ + "]";
            if (!item.isJsonObject()) {
                problems.add(at + " must be an object with host, username and password. " + howToSet);
                continue;
            }
            var object = item.getAsJsonObject();
            var host = field(object, "host");
            var username = field(object, "username");
            var password = field(object, "password");
            if (host.isEmpty() || username.isEmpty() || password.isEmpty()) {
                problems.add(at + " needs host, username and password, each a string. " + howToSet);
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

    /**
     * A list of strings, or the default when unset (null: the key is required); empty, with the
     * problem recorded, when it is missing or not a list.
     */
    private Optional<List<String>> readList(String name, List<String> defaultValue) {
        var raw = config.get(PROJECT, name);
        if (raw.isEmpty()) {
            if (defaultValue == null) {
                problems.add(key(name) + " is not set. Set it with `pulumi config set --path '" + name
                        + "[0]' VALUE` (one line per entry), or in the stack file as a YAML list.");
            }
            return Optional.ofNullable(defaultValue);
        }
        var values = parseJson(raw.get()).flatMap(SettingsReader::stringArray);
        if (values.isEmpty()) {
            problems.add(key(name) + " must be a list of strings, got " + raw.get() + ". Set it with "
                    + "`pulumi config set --path '" + name + "[0]' VALUE`, or in the stack file as a YAML list.");
            return Optional.empty();
        }
        problems.when(values.get().stream().anyMatch(String::isBlank), () -> key(name) + " has an empty entry; remove it.");
        return Optional.of(values.get().stream().filter(value -> !value.isBlank()).toList());
    }

    private static Optional<JsonElement> parseJson(String json) {
        try {
            return Optional.of(JsonParser.parseString(json));
        } catch (JsonParseException e) {
            return Optional.empty();
        }
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

    private static Optional<String> field(JsonObject object, String name) {
        var value = object.get(name);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                ? Optional.of(value.getAsString()) : Optional.empty();
    }
}
