package registrypullaccess.component;

import com.pulumi.provider.internal.ComponentProvider;
import com.pulumi.provider.internal.Metadata;
import com.pulumi.provider.internal.Provider;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.models.GetSchemaResponse;
import com.pulumi.provider.internal.properties.PropertyValue;
import com.pulumi.provider.internal.properties.PropertyValueSerializer;
import registrypullaccess.access.PullAccess;
import registrypullaccess.access.PullAccessArgs;
import registrypullaccess.settings.ConfigKeys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Pulumi package {@code registry-pull-access}: serves {@link PullAccess} as
 * {@code registry-pull-access:index:PullAccess} to programs in every Pulumi language ({@code pulumi package add},
 * then {@code new PullAccess(...)} in TypeScript, Python, Go, C#, YAML). {@link ProviderHost} starts it as the engine
 * starts a plugin (PulumiPlugin.yaml).
 *
 * <p>Built on the SDK's component provider (pulumi-java v1.36.1, {@code com.pulumi.provider.internal}):
 * {@link ComponentProvider} infers the schema from {@link PullAccess} and {@link PullAccessArgs} and constructs the
 * component. It replaces only the SDK's {@code ComponentProviderHost}, which offers no hook: the schema gets the
 * descriptions the inference cannot give ({@link PackageSchema}), and the inputs are validated before anything is
 * registered, so that bad inputs fail as a bad stack configuration does, with every problem and nothing
 * half-created.
 */
public final class PackageProvider implements Provider {

    private static final String GCP_PROJECT = "gcpProject";

    private final ComponentProvider components =
            new ComponentProvider(new Metadata(ConfigKeys.PROJECT), PullAccess.class.getPackage());

    private final Supplier<Optional<String>> stackGcpProject;
    private final Consumer<String> warnings;

    /**
     * @param stackGcpProject the calling stack's {@code gcp:project}, read only when the inputs name no project
     * @param warnings where the settings' warnings go (under the engine: its log, shown by {@code pulumi up})
     */
    public PackageProvider(Supplier<Optional<String>> stackGcpProject, Consumer<String> warnings) {
        this.stackGcpProject = stackGcpProject;
        this.warnings = warnings;
    }

    /**
     * The engine's address: the one argument that is not one of the logging flags the engine passes to every
     * plugin (what the SDK's ComponentProviderHost.getEngineAddress accepts, v1.36.1).
     */
    static String engineAddress(String[] args) {
        var addresses = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tracing")) {
                i++;
            } else if (!args[i].equals("--logtostderr") && !args[i].equals("--logflow") && !args[i].startsWith("-v=")) {
                addresses.add(args[i]);
            }
        }
        if (addresses.size() != 1) {
            throw new IllegalArgumentException(
                    "Expected the engine's address as the one argument but the logging flags, got " + List.of(args));
        }
        return addresses.get(0);
    }

    @Override
    public CompletableFuture<GetSchemaResponse> getSchema(GetSchemaRequest request) {
        return components
                .getSchema(request)
                .thenApply(inferred -> new GetSchemaResponse(PackageSchema.described(inferred.getSchema())));
    }

    @Override
    public CompletableFuture<ConstructResponse> construct(ConstructRequest request) {
        if (!PullAccess.TYPE.equals(request.getType())) {
            return components.construct(request);
        }
        ConstructRequest checked;
        try {
            checked = checked(request);
        } catch (RuntimeException invalid) {
            return CompletableFuture.failedFuture(invalid);
        }
        return components.construct(checked);
    }

    /**
     * The request with the stack's project when the inputs name none (as the gcp provider would use it: the engine
     * passes the stack's configuration with every Construct), after the settings have checked the inputs (every
     * problem at once, as the stack's reader reports them) and their warnings have gone out.
     */
    ConstructRequest checked(ConstructRequest request) {
        Map<String, PropertyValue> inputs = new HashMap<>(request.getInputs());
        if (!inputs.containsKey(GCP_PROJECT)) {
            stackGcpProject.get().ifPresent(project -> inputs.put(GCP_PROJECT, PropertyValue.of(project)));
        }
        PropertyValueSerializer.deserialize(PropertyValue.of(inputs), PullAccessArgs.class)
                .settings()
                .warnings()
                .forEach(warnings);
        return new ConstructRequest(request.getType(), request.getName(), inputs, request.getOptions());
    }
}
