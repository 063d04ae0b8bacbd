package registrypullaccess;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.Grant;
import registrypullaccess.registry.ImageReference;
import registrypullaccess.registry.LegacyStorageBucket;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectReader;
import registrypullaccess.registry.PullSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Everything one stack deploys, read once from the stack configuration and validated, so that bad input
 * fails before any resource is declared and nothing is half-created.
 *
 * @param gcpProject         the project the service account is created in ({@code gcp:project})
 * @param sources            the registries to pull from, in configuration order
 * @param namespaces         the namespaces that get the pull secret
 * @param serviceAccountId   the GCP service account id
 * @param secretName         the name of the pull secret in every namespace
 * @param email              the optional e-mail written to the docker config, like {@code --docker-email}
 * @param nodeServiceAccount in keyless mode, the GKE nodes' service account that is granted access
 *                           instead of a key; empty otherwise
 * @param serviceAccounts    the Kubernetes ServiceAccounts that list the pull secret in every namespace
 * @param keyRotationDays    how long a key lives before `pulumi up` replaces it; 0: forever
 * @param createNamespaces   whether the stack creates (and destroy removes) the namespaces
 * @param adopt              whether to import a hand-made service account, Secrets and namespaces
 * @param protect            whether the service account and grants are protected from deletion
 * @param detach             whether to take the pull secret out of the ServiceAccounts, before a destroy
 * @param pullCheck          the image every namespace pulls during `pulumi up` to prove access, if any
 */
public record Settings(
        String gcpProject,
        List<PullSource> sources,
        List<String> namespaces,
        String serviceAccountId,
        String secretName,
        Optional<String> email,
        Optional<String> nodeServiceAccount,
        List<String> serviceAccounts,
        int keyRotationDays,
        boolean createNamespaces,
        boolean adopt,
        boolean protect,
        boolean detach,
        Optional<PullCheck> pullCheck) {

    /** The Pulumi project name, which is also the namespace of this program's config keys. */
    public static final String PROJECT = "registry-pull-access";

    public static final List<String> DEFAULT_NAMESPACES = List.of("default");
    public static final String DEFAULT_SERVICE_ACCOUNT_ID = "image-puller";
    public static final String DEFAULT_SECRET_NAME = "registry-pull-secret";
    public static final List<String> DEFAULT_SERVICE_ACCOUNTS = List.of("default");

    private static final Pattern RFC_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern RFC_1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern SERVICE_ACCOUNT_ID = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern SERVICE_ACCOUNT_EMAIL = Pattern.compile("[a-z0-9-]+@[a-z0-9.-]+\\.gserviceaccount\\.com");

    public Settings {
        Objects.requireNonNull(gcpProject, "gcpProject");
        sources = List.copyOf(sources);
        namespaces = List.copyOf(namespaces);
        Objects.requireNonNull(serviceAccountId, "serviceAccountId");
        Objects.requireNonNull(secretName, "secretName");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(nodeServiceAccount, "nodeServiceAccount");
        serviceAccounts = List.copyOf(serviceAccounts);
        Objects.requireNonNull(pullCheck, "pullCheck");
    }

    /** Keyless mode: GKE nodes pull with their own identity; no key and no Secret exist. */
    public boolean keyless() {
        return nodeServiceAccount.isPresent();
    }

    /** The registry hosts written to the pull secret, each once, sorted. */
    public List<String> registryHosts() {
        var hosts = new TreeSet<String>();
        sources.forEach(source -> hosts.add(source.host()));
        return List.copyOf(hosts);
    }

    /** What a reviewer should know before applying these settings. */
    public List<String> warnings() {
        var warnings = new ArrayList<String>();
        sources.stream().filter(ProjectReader.class::isInstance).forEach(source ->
                warnings.add("\"" + source.entry() + "\" grants " + Grant.ARTIFACT_REGISTRY_READER + " on the whole "
                        + "project " + ((ProjectReader) source).project() + ": every repository in it, present and "
                        + "future, becomes readable. List the repositories under registries instead if you can."));
        return warnings;
    }

    /**
     * Reads and validates the stack configuration.
     *
     * @throws InvalidSettingsException naming every bad key, its value and the rule it breaks
     */
    public static Settings fromConfig(ConfigSource config) {
        return new Reader(config).read();
    }

    /** Reads one stack's configuration, collecting every problem before giving up. */
    private static final class Reader {
        private final ConfigSource config;
        private final List<String> problems = new ArrayList<>();

        Reader(ConfigSource config) {
            this.config = config;
        }

        Settings read() {
            var gcpProject = config.get("gcp", "project").filter(value -> !value.isBlank());
            if (gcpProject.isEmpty()) {
                problems.add("gcp:project is not set: the project to create the service account in. "
                        + "Set it with `pulumi config set gcp:project YOUR_PROJECT_ID`.");
            }
            gcpProject.filter(value -> !ArtifactRepository.isProjectId(value)).ifPresent(value ->
                    problems.add("gcp:project: \"" + value + "\" is not a project id (6 to 30 lowercase letters, "
                            + "digits and '-', starting with a letter); `gcloud projects list` shows yours."));
            var project = gcpProject.orElse("");

            var email = config.get(PROJECT, "email").filter(value -> !value.isEmpty());
            email.filter(value -> !EMAIL.matcher(value).matches()).ifPresent(value ->
                    problems.add(key("email") + ": \"" + value + "\" is not an e-mail address; leave the key unset "
                            + "if you do not need one."));

            var sources = new ArrayList<PullSource>();
            sources.addAll(readSources("registries", true, project, ArtifactRepository::parse));
            sources.addAll(readSources("legacyStorage", false, project, LegacyStorageBucket::parse));
            sources.addAll(readSources("projectWideReaders", false, project, ProjectReader::parse));
            sources.addAll(readOtherRegistries(email));
            rejectRepeatedAccess(sources);

            var namespaces = readNames("namespaces", DEFAULT_NAMESPACES, RFC_1123_LABEL, "a namespace name: use at "
                    + "most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (an "
                    + "RFC 1123 label).");
            var serviceAccounts = readNames("serviceAccounts", DEFAULT_SERVICE_ACCOUNTS, RFC_1123_SUBDOMAIN,
                    "a ServiceAccount name: use lowercase letters, digits, '-' and '.', starting and ending with "
                    + "a letter or digit.");

            var serviceAccountId = readString("serviceAccountId", DEFAULT_SERVICE_ACCOUNT_ID);
            if (serviceAccountId.length() < 6 || serviceAccountId.length() > 30
                    || !SERVICE_ACCOUNT_ID.matcher(serviceAccountId).matches()) {
                problems.add(key("serviceAccountId") + ": \"" + serviceAccountId + "\" is not a service account "
                        + "id: use 6 to 30 lowercase letters, digits and '-', starting with a letter and not "
                        + "ending with '-'.");
            }

            var secretName = readString("secretName", DEFAULT_SECRET_NAME);
            if (secretName.length() > 253 || !RFC_1123_SUBDOMAIN.matcher(secretName).matches()) {
                problems.add(key("secretName") + ": \"" + secretName + "\" is not a Secret name: use at most 253 "
                        + "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.");
            }

            var nodeServiceAccount = readKeyless(sources);

            var keyRotationDays = readInteger("keyRotationDays", KeyRotation.DEFAULT_DAYS);
            if (keyRotationDays < 0 || keyRotationDays > 3650) {
                problems.add(key("keyRotationDays") + ": " + keyRotationDays + " is not a number of days from 0 "
                        + "(never rotate) to 3650; Google advises at most 90.");
            }
            var createNamespaces = readBoolean("createNamespaces");
            var adopt = readBoolean("adopt");
            var protect = readBoolean("protect");
            var detach = readBoolean("detach");
            var pullCheck = readPullCheck(sources);
            if (nodeServiceAccount.isPresent()) {
                rejectInKeylessMode("createNamespaces", createNamespaces);
                rejectInKeylessMode("adopt", adopt);
            }

            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
            return new Settings(project, sources, namespaces, serviceAccountId, secretName, email,
                    nodeServiceAccount, serviceAccounts, keyRotationDays, createNamespaces, adopt, protect, detach,
                    pullCheck);
        }

        private void rejectInKeylessMode(String name, boolean set) {
            if (set) {
                problems.add(key(name) + " does nothing in keyless mode, which makes no service account, key, "
                        + "Secret or namespace; remove it, or turn keyless mode off.");
            }
        }

        private Optional<PullCheck> readPullCheck(List<PullSource> sources) {
            var image = config.get(PROJECT, "verifyImage").filter(value -> !value.isEmpty());
            var helperImage = readString("verifyHelperImage", PullCheck.DEFAULT_HELPER_IMAGE);
            if (!ImageReference.isValid(helperImage)) {
                problems.add(key("verifyHelperImage") + ": \"" + helperImage + "\" is not an image reference.");
            }
            if (image.isEmpty()) {
                return Optional.empty();
            }
            if (!ImageReference.isValid(image.get())) {
                problems.add(key("verifyImage") + ": \"" + image.get() + "\" is not an image reference, e.g. "
                        + "europe-west1-docker.pkg.dev/acme-shared/images/app:1.0.");
                return Optional.empty();
            }
            var server = ImageReference.server(image.get());
            if (sources.stream().noneMatch(source -> source.host().equals(server))) {
                problems.add(key("verifyImage") + ": \"" + image.get() + "\" is pulled from " + server + ", which is "
                        + "not a configured registry; pick an image from "
                        + sources.stream().map(PullSource::host).distinct().sorted().toList() + ".");
            }
            return Optional.of(new PullCheck(image.get(), helperImage));
        }

        /** A list of Kubernetes names, each valid and listed once. */
        private List<String> readNames(String name, List<String> defaultValue, Pattern rule, String what) {
            var list = readList(name, defaultValue);
            if (list.filter(List::isEmpty).isPresent()) {
                problems.add(key(name) + " is empty: list at least one, or remove the key to use "
                        + defaultValue.stream().map(value -> "\"" + value + "\"").toList() + ".");
            }
            var names = list.orElse(List.of());
            names.stream().filter(value -> value.length() > 253 || !rule.matcher(value).matches()).forEach(value ->
                    problems.add(key(name) + ": \"" + value + "\" is not " + what));
            rejectDuplicates(name, names);
            return names;
        }

        private boolean readBoolean(String name) {
            var value = config.get(PROJECT, name).orElse("false");
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(key(name) + ": \"" + value + "\" is not true or false.");
            }
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

        private List<PullSource> readSources(String name, boolean required, String project,
                                             BiFunction<String, String, PullSource> parse) {
            var entries = readList(name, required ? null : List.of());
            if (required && entries.filter(List::isEmpty).isPresent()
                    && config.get(PROJECT, "otherRegistries").isEmpty()) {
                problems.add(key(name) + " is empty: list at least one registry, e.g. "
                        + "`pulumi config set --path '" + name + "[0]' eu.gcr.io`.");
            }
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

        private Optional<String> readKeyless(List<PullSource> sources) {
            var keyless = readBoolean("keyless");
            var nodeServiceAccount = config.get(PROJECT, "nodeServiceAccount").filter(value -> !value.isEmpty());
            if (!keyless) {
                nodeServiceAccount.ifPresent(value -> problems.add(key("nodeServiceAccount") + " is only used with "
                        + key("keyless") + " true; remove it, or turn keyless mode on."));
                return Optional.empty();
            }
            if (nodeServiceAccount.isEmpty()) {
                problems.add(key("keyless") + " is true but " + key("nodeServiceAccount") + " is not set: give the "
                        + "e-mail of the service account the cluster's nodes run as (`gcloud container node-pools "
                        + "describe POOL --cluster CLUSTER --format='value(config.serviceAccount)'`).");
            }
            nodeServiceAccount.filter(value -> !SERVICE_ACCOUNT_EMAIL.matcher(value).matches()).ifPresent(value ->
                    problems.add(key("nodeServiceAccount") + ": \"" + value + "\" is not a service account e-mail "
                            + "(NAME@PROJECT.iam.gserviceaccount.com or NUMBER-compute@developer.gserviceaccount.com)."));
            sources.stream().filter(OtherRegistry.class::isInstance).findFirst().ifPresent(other ->
                    problems.add(key("keyless") + " cannot be combined with " + key("otherRegistries") + " (\""
                            + other.entry() + "\"): keyless nodes pull with their Google identity, which other "
                            + "registries do not accept. Remove otherRegistries, or turn keyless mode off."));
            return nodeServiceAccount;
        }

        /** Two entries that add nothing over each other are a mistake worth pointing out. */
        private void rejectRepeatedAccess(List<PullSource> sources) {
            var seen = new HashMap<Object, PullSource>();
            for (var source : sources) {
                Object identity = source instanceof OtherRegistry ? source.host() : List.of(source.host(), source.grant());
                var earlier = seen.putIfAbsent(identity, source);
                if (earlier != null) {
                    problems.add("\"" + source.entry() + "\" repeats \"" + earlier.entry() + "\": both give "
                            + source.host() + (source.grant().map(grant -> " with " + grant.role() + " on "
                            + grant.resource()).orElse(" a password")) + "; list it once.");
                }
            }
        }

        private String readString(String name, String defaultValue) {
            return config.get(PROJECT, name).filter(value -> !value.isEmpty()).orElse(defaultValue);
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
            var values = parseJson(raw.get()).flatMap(Reader::stringArray);
            if (values.isEmpty()) {
                problems.add(key(name) + " must be a list of strings, got " + raw.get() + ". Set it with "
                        + "`pulumi config set --path '" + name + "[0]' VALUE`, or in the stack file as a YAML list.");
                return Optional.empty();
            }
            if (values.get().stream().anyMatch(String::isBlank)) {
                problems.add(key(name) + " has an empty entry; remove it.");
            }
            return Optional.of(values.get().stream().filter(value -> !value.isBlank()).toList());
        }

        private void rejectDuplicates(String name, List<String> values) {
            var seen = new HashSet<String>();
            values.stream().filter(value -> !seen.add(value)).distinct().forEach(duplicate ->
                    problems.add(key(name) + ": \"" + duplicate + "\" is listed more than once; list it once."));
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

    private static String key(String name) {
        return PROJECT + ":" + name;
    }
}
