package registrypullaccess.component;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import org.yaml.snakeyaml.Yaml;
import registrypullaccess.access.PullAccess;
import registrypullaccess.settings.ConfigKeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The package schema the provider serves: the SDK's inference from {@link PullAccess} and its arguments, plus the
 * descriptions it cannot infer (its {@code PropertySpec} has no description, pulumi-java v1.36.1) and the password's
 * {@code secret} flag. An input named like a configuration key is described as {@code Pulumi.yaml} describes the key
 * (packaged beside this class); the rest here.
 *
 * <p>{@code ./mvnw -q compile exec:java -DmainClass=registrypullaccess.component.PackageSchema} prints it.
 */
public final class PackageSchema {

    static final String OTHER_REGISTRY = ConfigKeys.PROJECT + ":index:OtherRegistry";

    /** Inputs that are not keys Pulumi.yaml can declare (objects, or another provider's key). */
    private static final Map<String, String> INPUTS = Map.of(
            "gcpProject",
            "The project the service account is created in. Unset: the calling stack's gcp:project, as for the gcp "
                    + "provider. Not needed when only otherRegistries are listed.",
            "otherRegistries",
            "Registries outside Google that take a user name and password, written to the same pull secret "
                    + "(key and token modes). Pass each password as a secret: a plain one is refused.",
            "namespaceSelector",
            "Cluster-wide coverage of the namespaces that carry all these labels (matchLabels), present and "
                    + "future, through Kyverno; instead of namespaces and of allNamespaces.");

    private static final Map<String, String> OTHER_REGISTRY_FIELDS = Map.of(
            "host", "The registry's host, e.g. ghcr.io.",
            "username", "The user name to log in with.",
            "password", "The password or token to log in with; a secret.");

    private static final Map<String, String> OUTPUTS = Map.ofEntries(
            Map.entry(
                    "serviceAccountEmail",
                    "The Google service account that pulls (with credentials node: the nodes' own)."),
            Map.entry("pullSecretName", "The name of the docker-registry Secret in every covered namespace."),
            Map.entry(
                    "imagePullSecrets",
                    "With serviceAccounts [] only: what a pod spec lists to pull, [{name: ...}], ready to paste."),
            Map.entry("namespaces", "The namespaces that got the pull secret, when they are listed."),
            Map.entry("homeNamespace", "Cluster-wide only: the namespace holding the one Secret Kyverno copies."),
            Map.entry("registryHosts", "The registry hosts in the pull secret, each once, sorted."),
            Map.entry("registries", "Each configured registry and what it was granted, one line each."),
            Map.entry("keyPeriodStart", "With credentials key and rotation: the day the current key's period began."),
            Map.entry(
                    "nextKeyRotation",
                    "With credentials key and rotation: the first update on or after this day replaces the key."),
            Map.entry(
                    "externalSecretsOperator",
                    "With credentials token: the External Secrets Operator version, installed or expected."));

    private PackageSchema() {}

    /** Prints the schema the provider serves, as the engine receives it from GetSchema. */
    public static void main(String[] args) {
        System.out.println(new PackageProvider(Optional::empty, warning -> {})
                .getSchema(new GetSchemaRequest(0, null, null))
                .join()
                .getSchema());
    }

    /** The inferred schema with descriptions and the password's secret flag added. */
    static String described(String inferred) {
        var schema = JsonParser.parseString(inferred).getAsJsonObject();
        schema.addProperty(
                "description",
                "Pull access to private Google container registries for a Kubernetes cluster: a read-only service "
                        + "account or token, a pull secret in every namespace, the ServiceAccounts that list it.");
        var keys = configKeyDescriptions();
        var component = schema.getAsJsonObject("resources").getAsJsonObject(PullAccess.TYPE);
        component.addProperty(
                "description",
                "Everything one stack of registry-pull-access deploys, as a component; its inputs are the stack's "
                        + "configuration keys, checked by the same rules.");
        describe(
                component.getAsJsonObject("inputProperties"),
                name -> Optional.ofNullable(keys.get(name)).or(() -> Optional.ofNullable(INPUTS.get(name))));
        describe(component.getAsJsonObject("properties"), name -> Optional.ofNullable(OUTPUTS.get(name)));
        var otherRegistry =
                schema.getAsJsonObject("types").getAsJsonObject(OTHER_REGISTRY).getAsJsonObject("properties");
        describe(otherRegistry, name -> Optional.ofNullable(OTHER_REGISTRY_FIELDS.get(name)));
        otherRegistry.getAsJsonObject("password").addProperty("secret", true);
        return new GsonBuilder()
                .setPrettyPrinting()
                .disableHtmlEscaping()
                .create()
                .toJson(schema);
    }

    private interface Descriptions {
        Optional<String> of(String name);
    }

    /** Fails on a property with no description: the test of the schema and a user's editor rely on one. */
    private static void describe(JsonObject properties, Descriptions descriptions) {
        properties
                .entrySet()
                .forEach(property -> property.getValue()
                        .getAsJsonObject()
                        .addProperty(
                                "description",
                                descriptions
                                        .of(property.getKey())
                                        .orElseThrow(() -> new IllegalStateException("No description for "
                                                + property.getKey() + " in the package schema"))));
    }

    /** Pulumi.yaml's description of each configuration key. */
    private static Map<String, String> configKeyDescriptions() {
        try (InputStream in = PackageSchema.class.getResourceAsStream("Pulumi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("Pulumi.yaml is not packaged beside " + PackageSchema.class);
            }
            Map<String, Map<String, Object>> config = new Yaml()
                    .<Map<String, Map<String, Map<String, Object>>>>load(in)
                    .get("config");
            var descriptions = new java.util.HashMap<String, String>();
            config.forEach((key, declaration) -> descriptions.put(key, String.valueOf(declaration.get("description"))));
            return descriptions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
