package registrypullaccess.access;

import com.google.gson.Gson;
import com.pulumi.core.Output;
import com.pulumi.core.internal.Internal;
import com.pulumi.resources.ResourceArgs;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.ConfigSource;
import registrypullaccess.settings.Settings;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs of {@link PullAccess}, named and typed like the stack's configuration keys: what a program in any
 * Pulumi language passes to the component. Unset is null: the key's default, as in a stack. They are read through
 * the stack's own reader ({@link Settings#fromConfig}), so the component accepts what a stack accepts and refuses
 * the rest with the same messages, every problem at once.
 *
 * <p>The SDK's schema inference ({@code ComponentAnalyzer}, pulumi-java v1.36.1) and its deserializer read every
 * declared field of this class: it has the inputs and nothing else (no constants, no caches). Plain types: which
 * resources the component declares depends on these values, so they must be known when it is constructed; the
 * passwords alone are outputs, so that a secret stays one from the caller's program to the pull secret.
 */
public class PullAccessArgs extends ResourceArgs {

    private String gcpProject;
    private List<String> registries;
    private List<String> legacyStorage;
    private List<String> projectWideReaders;
    private List<OtherRegistryArgs> otherRegistries;
    private String credentials;
    private String gkeCluster;
    private String oidcIssuer;
    private String oidcJwks;
    private Integer tokenRefreshMinutes;
    private Boolean installExternalSecrets;
    private String nodeServiceAccount;
    private List<String> namespaces;
    private Boolean allNamespaces;
    private Map<String, String> namespaceSelector;
    private List<String> excludeNamespaces;
    private String homeNamespace;
    private Boolean installKyverno;
    private List<String> serviceAccounts;
    private List<String> detachServiceAccounts;
    private String podsNameNewSecret;
    private String serviceAccountId;
    private String secretName;
    private String email;
    private Integer keyRotationDays;
    private Boolean createNamespaces;
    private Boolean adopt;
    private Boolean protect;
    private Boolean detach;
    private String verifyImage;
    private String verifyHelperImage;

    /** For the SDK's deserializer, which sets the fields. */
    public PullAccessArgs() {}

    /** Another registry's credentials: a password the caller should pass as a secret. */
    public static class OtherRegistryArgs {
        private String host;
        private String username;
        private Output<String> password;

        /** For the SDK's deserializer, which sets the fields. */
        public OtherRegistryArgs() {}
    }

    /** Arguments for settings already read and validated, e.g. by the stack program from its configuration. */
    public static PullAccessArgs of(Settings settings, LocalDate today) {
        return new Validated(settings, today);
    }

    /**
     * The settings these inputs describe.
     *
     * @throws registrypullaccess.settings.InvalidSettingsException naming every bad input, its value and the rule it breaks
     */
    public Settings settings() {
        return Settings.fromConfig(configSource());
    }

    /** The date that picks the key's rotation period. */
    LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /**
     * The inputs as the stack's configuration would hold them: {@code registry-pull-access:KEY}, lists and
     * objects as JSON text. A password counts as encrypted when it came as a secret, as a value set with
     * {@code pulumi config set --secret} does.
     */
    ConfigSource configSource() {
        var values = new LinkedHashMap<String, String>();
        var json = new Gson();
        Optional.ofNullable(gcpProject).ifPresent(project -> values.put("gcp:project", project));
        put(values, "registries", registries, json);
        put(values, "legacyStorage", legacyStorage, json);
        put(values, "projectWideReaders", projectWideReaders, json);
        put(values, "credentials", credentials, json);
        put(values, "gkeCluster", gkeCluster, json);
        put(values, "oidcIssuer", oidcIssuer, json);
        put(values, "oidcJwks", oidcJwks, json);
        put(values, "tokenRefreshMinutes", tokenRefreshMinutes, json);
        put(values, "installExternalSecrets", installExternalSecrets, json);
        put(values, "nodeServiceAccount", nodeServiceAccount, json);
        put(values, "namespaces", namespaces, json);
        put(values, "allNamespaces", allNamespaces, json);
        put(values, "namespaceSelector", namespaceSelector, json);
        put(values, "excludeNamespaces", excludeNamespaces, json);
        put(values, "homeNamespace", homeNamespace, json);
        put(values, "installKyverno", installKyverno, json);
        put(values, "serviceAccounts", serviceAccounts, json);
        put(values, "detachServiceAccounts", detachServiceAccounts, json);
        put(values, "podsNameNewSecret", podsNameNewSecret, json);
        put(values, "serviceAccountId", serviceAccountId, json);
        put(values, "secretName", secretName, json);
        put(values, "email", email, json);
        put(values, "keyRotationDays", keyRotationDays, json);
        put(values, "createNamespaces", createNamespaces, json);
        put(values, "adopt", adopt, json);
        put(values, "protect", protect, json);
        put(values, "detach", detach, json);
        put(values, "verifyImage", verifyImage, json);
        put(values, "verifyHelperImage", verifyHelperImage, json);
        var secretPaths = new HashSet<String>();
        if (otherRegistries != null) {
            var key = ConfigKeys.key("otherRegistries");
            var entries = new ArrayList<Map<String, String>>();
            for (int i = 0; i < otherRegistries.size(); i++) {
                var registry = otherRegistries.get(i);
                var entry = new LinkedHashMap<String, String>();
                if (registry != null) {
                    Optional.ofNullable(registry.host).ifPresent(host -> entry.put("host", host));
                    Optional.ofNullable(registry.username).ifPresent(user -> entry.put("username", user));
                    var password = Optional.ofNullable(registry.password)
                            .map(output -> Internal.of(output).getDataAsync().join());
                    password.map(data -> data.getValueNullable()).ifPresent(value -> entry.put("password", value));
                    if (password.filter(data -> data.isSecret()).isPresent()) {
                        secretPaths.add(key + "[" + i + "].password");
                    }
                }
                entries.add(entry);
            }
            values.put(key, json.toJson(entries));
        }
        // The CLI passes a key with any encrypted value in it as one secret value.
        var secretKeys = secretPaths.isEmpty() ? Set.<String>of() : Set.of(ConfigKeys.key("otherRegistries"));
        return ConfigSource.of(values, secretKeys, secretPaths);
    }

    private static void put(Map<String, String> values, String name, Object value, Gson json) {
        if (value != null) {
            values.put(ConfigKeys.key(name), value instanceof String text ? text : json.toJson(value));
        }
    }

    /** Settings the stack program read from its configuration; the inputs stay unset. */
    private static final class Validated extends PullAccessArgs {
        private final Settings settings;
        private final LocalDate today;

        Validated(Settings settings, LocalDate today) {
            this.settings = settings;
            this.today = today;
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        LocalDate today() {
            return today;
        }
    }
}
