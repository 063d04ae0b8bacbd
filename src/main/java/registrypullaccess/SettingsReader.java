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
import java.util.TreeSet;
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
    private final List<String> deprecations = new ArrayList<>();

    SettingsReader(ConfigSource config) {
        this.config = config;
    }

    Settings read() {
        var project = config.get("gcp", "project").orElse("");
        problems.addAll(Settings.projectProblems(project, googleRegistriesConfigured()));
        problems.addAll(ConfigKeys.unknownKeyProblems(new TreeSet<>(config.keys())));

        var email = config.get(PROJECT, "email").filter(value -> !value.isEmpty());
        var sources = readSources(project, email);
        var namespacesProblems = problems.list().size();
        var namespaces = readNames(
                "namespaces", Settings.DEFAULT_NAMESPACES, KubernetesNames.RFC_1123_LABEL, KubernetesNames.NAMESPACE);
        var coverage = new CoverageReader().read(namespaces, problems.list().size() == namespacesProblems);
        var pullSecretUse = readPullSecretUse();
        var puller = readPuller(sources, email);
        coverage.filter(Coverage.Listed.class::isInstance)
                .ifPresent(listed ->
                        puller.ifPresent(way -> problems.addAll(Settings.createdNamespaceProblems(namespaces, way))));
        var protect = readBoolean("protect");
        var pullCheck = readPullCheck(sources);
        if (puller.isPresent() && coverage.isPresent()) {
            problems.addAll(Settings.coverageProblems(sources, coverage.get(), puller.get(), pullCheck));
            pullSecretUse.ifPresent(
                    use -> problems.addAll(Settings.pullSecretUseProblems(use, coverage.get(), puller.get())));
        }

        var found = problems.list();
        if (!found.isEmpty()) {
            throw new InvalidSettingsException(found);
        }
        return new Settings(
                project,
                sources,
                coverage.orElseThrow(),
                pullSecretUse.orElseThrow(),
                puller.orElseThrow(),
                protect,
                pullCheck,
                deprecations);
    }

    /**
     * {@code serviceAccounts}, and {@code detachServiceAccounts} for the way from listing the secret in them to
     * pods naming it. Only an explicitly empty list means pods name it: the Pulumi CLI passes Pulumi.yaml's default,
     * ["default"], as if it were set, so an unset key reads as the default.
     */
    private Optional<PullSecretUse> readPullSecretUse() {
        var before = problems.list().size();
        var serviceAccounts = readList("serviceAccounts", Settings.DEFAULT_SERVICE_ACCOUNTS);
        var detachServiceAccounts = readList("detachServiceAccounts", List.of());
        serviceAccounts
                .filter(names -> !names.isEmpty())
                .ifPresent(names -> problems.addAll(KubernetesNames.listProblems(
                        "serviceAccounts",
                        names,
                        KubernetesNames.RFC_1123_SUBDOMAIN,
                        KubernetesNames.SERVICE_ACCOUNT,
                        Settings.DEFAULT_SERVICE_ACCOUNTS)));
        detachServiceAccounts.ifPresent(names -> problems.addAll(PullSecretUse.NamedByPods.problems(names)));
        if (problems.list().size() > before || serviceAccounts.isEmpty() || detachServiceAccounts.isEmpty()) {
            return Optional.empty();
        }
        if (!serviceAccounts.get().isEmpty() && !detachServiceAccounts.get().isEmpty()) {
            problems.add(key("detachServiceAccounts") + " only applies with " + key("serviceAccounts") + " [] (pods "
                    + "name the pull secret themselves): it takes the secret out of ServiceAccounts the stack no longer "
                    + "lists it in. Remove it, or write `" + key("serviceAccounts") + ": []` in the "
                    + "stack file.");
            return Optional.empty();
        }
        return Optional.of(
                serviceAccounts.get().isEmpty()
                        ? new PullSecretUse.NamedByPods(detachServiceAccounts.get())
                        : new PullSecretUse.ThroughServiceAccounts(serviceAccounts.get()));
    }

    /**
     * Whether the stack pulls from Google at all, read before the registries are parsed so that a bad entry
     * still needs a project: only explicitly empty Google lists (or keyless mode off with other registries
     * alone) need none.
     */
    private boolean googleRegistriesConfigured() {
        if (config.get(PROJECT, "keyless").filter("true"::equals).isPresent()
                || config.get(PROJECT, "credentials").filter("node"::equals).isPresent()) {
            return true;
        }
        var registries = config.get(PROJECT, "registries");
        return registries.isEmpty()
                || !isEmptyList(registries.get())
                || config.get(PROJECT, "legacyStorage")
                        .filter(raw -> !isEmptyList(raw))
                        .isPresent()
                || config.get(PROJECT, "projectWideReaders")
                        .filter(raw -> !isEmptyList(raw))
                        .isPresent();
    }

    private static boolean isEmptyList(String raw) {
        return parseJson(raw)
                .filter(JsonElement::isJsonArray)
                .map(json -> json.getAsJsonArray().isEmpty())
                .orElse(false);
    }

    private List<PullSource> readSources(String project, Optional<String> email) {
        var before = problems.list().size();
        var sources = new ArrayList<PullSource>();
        var registries = readList("registries", null);
        sources.addAll(parseEach("registries", registries, project, ArtifactRepository::parse));
        sources.addAll(
                parseEach("legacyStorage", readList("legacyStorage", List.of()), project, LegacyStorageBucket::parse));
        sources.addAll(parseEach(
                "projectWideReaders", readList("projectWideReaders", List.of()), project, ProjectWideReader::parse));
        sources.addAll(readOtherRegistries(email));
        if (problems.list().size() == before) {
            problems.addAll(Settings.sourceProblems(sources));
        }
        return sources;
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
            var clusterWide =
                    allNamespaces || selector.map(map -> !map.isEmpty()).orElse(false);
            if (!clusterWide) {
                var notCovering = "; it only applies with " + key("allNamespaces") + " true or a "
                        + key("namespaceSelector") + ". Remove it, or turn cluster-wide coverage on.";
                excluded.filter(list -> !list.equals(Coverage.ClusterWide.DEFAULT_EXCLUDED))
                        .ifPresent(list -> problems.add(key("excludeNamespaces") + " is set to " + list + notCovering));
                // In token mode the listed namespaces copy the token from a home namespace too.
                var token = config.get(PROJECT, "credentials")
                        .filter("token"::equals)
                        .isPresent();
                problems.when(
                        !token && !home.equals(Coverage.ClusterWide.DEFAULT_HOME),
                        () -> key("homeNamespace") + " is set to \"" + home + "\"; it only applies with "
                                + key("allNamespaces") + " true, a " + key("namespaceSelector") + " or "
                                + key("credentials") + " token. Remove it.");
                problems.when(installKyverno, () -> key("installKyverno") + " is true" + notCovering);
                var homeProblems = Coverage.homeProblems(home);
                problems.addAll(homeProblems);
                return namespacesValid && homeProblems.isEmpty()
                        ? Optional.of(new Coverage.Listed(namespaces, home))
                        : Optional.empty();
            }
            problems.when(
                    allNamespaces && selector.isPresent(),
                    () -> key("allNamespaces") + " is true and "
                            + key("namespaceSelector") + " is set: cover every namespace, or only those with the "
                            + "selector's labels. Remove one of them.");
            problems.when(
                    !namespaces.equals(Settings.DEFAULT_NAMESPACES),
                    () -> key("namespaces") + " lists "
                            + namespaces + " while "
                            + (allNamespaces ? key("allNamespaces") + " is true" : key("namespaceSelector") + " is set")
                            + ": cluster-wide coverage finds the namespaces in the "
                            + "cluster, a list names them. Remove namespaces (`pulumi config rm " + key("namespaces")
                            + "`), "
                            + "or cluster-wide coverage.");
            if (excluded.isEmpty() || (selector.isEmpty() && !allNamespaces)) {
                return Optional.empty();
            }
            var found = Coverage.ClusterWide.problems(selector.orElse(Map.of()), excluded.get(), home);
            problems.addAll(found);
            if (!found.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(
                    new Coverage.ClusterWide(selector.orElse(Map.of()), excluded.get(), home, installKyverno));
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

    /** The ways of pulling, as the {@code credentials} key names them. */
    private enum Credentials {
        KEY,
        TOKEN,
        NODE
    }

    /**
     * Keys that only one way of pulling reads, with their defaults: set to anything else under another way
     * they would do nothing. The Pulumi CLI passes Pulumi.yaml's defaults as if they were set, so a key at
     * its default counts as unset.
     */
    private static final Map<String, String> KEY_ONLY =
            Map.of("keyRotationDays", String.valueOf(KeyRotation.DEFAULT_DAYS), "adopt", "false");

    private static final Map<String, String> TOKEN_ONLY = Map.of(
            "gkeCluster",
            "",
            "oidcIssuer",
            "",
            "oidcJwks",
            "",
            "tokenRefreshMinutes",
            String.valueOf(Puller.WithToken.DEFAULT_REFRESH_MINUTES),
            "installExternalSecrets",
            "false");
    private static final Map<String, String> SECRET_ONLY = Map.of("createNamespaces", "false");

    /** The way of pulling; empty when its keys are wrong (the problems are recorded). */
    private Optional<Puller> readPuller(List<PullSource> sources, Optional<String> email) {
        var credentials = readCredentials();
        if (credentials.isEmpty()) {
            return Optional.empty();
        }
        var before = problems.list().size();
        var nodeServiceAccount = config.get(PROJECT, "nodeServiceAccount").filter(value -> !value.isEmpty());
        if (credentials.get() != Credentials.NODE) {
            nodeServiceAccount.ifPresent(value -> problems.add(key("nodeServiceAccount") + " is only used with "
                    + key("credentials") + " node; remove it, or set credentials to node."));
        }
        var puller = switch (credentials.get()) {
            case KEY -> readKeyPuller(email);
            case TOKEN -> readTokenPuller(email);
            case NODE -> readNodePuller(nodeServiceAccount);
        };
        puller.ifPresent(value -> problems.addAll(Settings.pullerProblems(sources, value)));
        return problems.list().size() > before ? Optional.empty() : puller;
    }

    /** {@code credentials}, or its older spelling {@code keyless: true} for node. */
    private Optional<Credentials> readCredentials() {
        var keyless = readBoolean("keyless");
        var value = config.get(PROJECT, "credentials").filter(text -> !text.isEmpty());
        if (keyless) {
            deprecations.add(key("keyless") + " is deprecated: write `" + key("credentials") + ": node` instead "
                    + "(it means the same).");
            if (value.filter(text -> !text.equals("node")).isPresent()) {
                problems.add(key("keyless") + " is true but " + key("credentials") + " is \"" + value.get()
                        + "\": keyless means credentials node. Remove keyless.");
                return Optional.empty();
            }
            return Optional.of(Credentials.NODE);
        }
        var credentials = switch (value.orElse("key")) {
            case "key" -> Optional.of(Credentials.KEY);
            case "token" -> Optional.of(Credentials.TOKEN);
            case "node" -> Optional.of(Credentials.NODE);
            default -> Optional.<Credentials>empty();
        };
        if (credentials.isEmpty()) {
            problems.add(key("credentials") + ": \"" + value.orElse("") + "\" is not key, token or node.");
        }
        return credentials;
    }

    private Optional<Puller> readKeyPuller(Optional<String> email) {
        rejectOutsideMode(TOKEN_ONLY, "token");
        var serviceAccountId = readString("serviceAccountId", Puller.DEFAULT_SERVICE_ACCOUNT_ID);
        var keyRotationDays = readInteger("keyRotationDays", KeyRotation.DEFAULT_DAYS);
        var adopt = readBoolean("adopt");
        var pullSecret = readPullSecret(email);
        var found = Puller.WithKey.problems(serviceAccountId, keyRotationDays);
        problems.addAll(found);
        if (!found.isEmpty() || pullSecret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Puller.WithKey(serviceAccountId, keyRotationDays, adopt, pullSecret.get()));
    }

    private Optional<Puller> readTokenPuller(Optional<String> email) {
        rejectOutsideMode(KEY_ONLY, "key");
        var serviceAccountId = readString("serviceAccountId", Puller.DEFAULT_SERVICE_ACCOUNT_ID);
        var refreshMinutes = readInteger("tokenRefreshMinutes", Puller.WithToken.DEFAULT_REFRESH_MINUTES);
        var installExternalSecrets = readBoolean("installExternalSecrets");
        var identity = readTokenIdentity();
        var pullSecret = readPullSecret(email);
        var found = Puller.WithToken.problems(serviceAccountId, refreshMinutes);
        problems.addAll(found);
        if (!found.isEmpty() || identity.isEmpty() || pullSecret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Puller.WithToken(
                serviceAccountId, identity.get(), refreshMinutes, installExternalSecrets, pullSecret.get()));
    }

    private Optional<TokenIdentity> readTokenIdentity() {
        var gkeCluster = config.get(PROJECT, "gkeCluster").filter(value -> !value.isEmpty());
        var issuer = config.get(PROJECT, "oidcIssuer").filter(value -> !value.isEmpty());
        var jwks = config.get(PROJECT, "oidcJwks").filter(value -> !value.isEmpty());
        if (gkeCluster.isPresent() == issuer.isPresent()) {
            problems.add(key("credentials") + " token needs exactly one of " + key("gkeCluster") + " (a GKE cluster: "
                    + "projects/PROJECT/locations/LOCATION/clusters/NAME) or " + key("oidcIssuer") + " (any other "
                    + "cluster: its service-account issuer URL, from `kubectl get --raw "
                    + "/.well-known/openid-configuration`).");
            return Optional.empty();
        }
        if (gkeCluster.isPresent()) {
            jwks.ifPresent(value -> problems.add(key("oidcJwks") + " is only used with " + key("oidcIssuer")
                    + "; GKE publishes its keys itself. Remove it."));
            var cluster = TokenIdentity.Gke.parse(gkeCluster.get());
            if (cluster.isEmpty()) {
                problems.add(key("gkeCluster") + ": \"" + gkeCluster.get() + "\" is not a GKE cluster: write "
                        + "projects/PROJECT/locations/LOCATION/clusters/NAME (`gcloud container clusters list --uri` "
                        + "ends with it).");
            }
            return cluster.map(TokenIdentity.class::cast);
        }
        var found = TokenIdentity.Oidc.problems(issuer.get(), jwks);
        problems.addAll(found);
        return found.isEmpty() ? Optional.of(new TokenIdentity.Oidc(issuer.get(), jwks)) : Optional.empty();
    }

    private Optional<Puller> readNodePuller(Optional<String> nodeServiceAccount) {
        rejectOutsideMode(KEY_ONLY, "key");
        rejectOutsideMode(TOKEN_ONLY, "token");
        rejectOutsideMode(SECRET_ONLY, "key or token");
        if (nodeServiceAccount.isEmpty()) {
            problems.add(key("credentials") + " node needs " + key("nodeServiceAccount") + ": the e-mail of the "
                    + "service account the cluster's nodes run as (`gcloud container node-pools describe POOL "
                    + "--cluster CLUSTER --format='value(config.serviceAccount)'`).");
            return Optional.empty();
        }
        var found = Puller.WithNodeIdentity.problems(nodeServiceAccount.get());
        problems.addAll(found);
        return found.isEmpty() ? Optional.of(new Puller.WithNodeIdentity(nodeServiceAccount.get())) : Optional.empty();
    }

    private Optional<PullSecretSettings> readPullSecret(Optional<String> email) {
        var secretName = readString("secretName", PullSecretSettings.DEFAULT_NAME);
        var createNamespaces = readBoolean("createNamespaces");
        var detach = readBoolean("detach");
        var found = PullSecretSettings.problems(secretName, email);
        problems.addAll(found);
        return found.isEmpty()
                ? Optional.of(new PullSecretSettings(secretName, email, createNamespaces, detach))
                : Optional.empty();
    }

    /** Keys another way of pulling reads would do nothing here: a mistake worth naming. */
    private void rejectOutsideMode(Map<String, String> defaults, String mode) {
        defaults.keySet().stream()
                .sorted()
                .filter(name -> config.get(PROJECT, name)
                        .filter(value -> !value.isEmpty() && !value.equals(defaults.get(name)))
                        .isPresent())
                .forEach(name -> problems.add(key(name) + " does nothing unless " + key("credentials") + " is " + mode
                        + "; remove it, or change credentials."));
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
    private List<String> readNames(String name, List<String> defaultValue, Pattern rule, String what) {
        var list = readList(name, defaultValue);
        list.ifPresent(names -> problems.addAll(KubernetesNames.listProblems(name, names, rule, what, defaultValue)));
        return list.orElse(List.of());
    }

    private boolean readBoolean(String name) {
        var value = config.get(PROJECT, name).orElse("false");
        problems.when(
                !value.equals("true") && !value.equals("false"),
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
            if (!config.isSecret(PROJECT, name, "[" + (index - 1) + "].password")) {
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
        problems.when(
                values.get().stream().anyMatch(String::isBlank), () -> key(name) + " has an empty entry; remove it.");
        return Optional.of(
                values.get().stream().filter(value -> !value.isBlank()).toList());
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
        return value != null
                        && value.isJsonPrimitive()
                        && value.getAsJsonPrimitive().isString()
                ? Optional.of(value.getAsString())
                : Optional.empty();
    }
}
