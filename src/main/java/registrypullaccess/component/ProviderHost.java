package registrypullaccess.component;

import com.pulumi.core.internal.Internal;
import com.pulumi.deployment.Deployment;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.provider.internal.ResourceProviderService;

import java.io.IOException;
import java.util.Optional;

/**
 * The package's plugin as the engine starts it (PulumiPlugin.yaml, the provider jar's main): serves
 * {@link PackageProvider} over gRPC with the SDK's {@link ResourceProviderService} (pulumi-java v1.36.1), which
 * prints the port the engine reads and sets up, for every Construct, the deployment the provider reads the stack's
 * configuration from and logs to. Runs only in a process of its own: {@code PackageProviderTest} starts it.
 */
public final class ProviderHost {

    private ProviderHost() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        new ResourceProviderService(
                        PackageProvider.engineAddress(args),
                        new PackageProvider(ProviderHost::stackGcpProject, ProviderHost::warn))
                .startAndBlockUntilShutdown();
    }

    /** The calling stack's {@code gcp:project}; the SDK keeps the Construct's deployment in a static holder. */
    private static Optional<String> stackGcpProject() {
        return Internal.of(Deployment.getInstance()).getConfig().getConfig("gcp:project");
    }

    /** Warnings go to the engine, which shows them in `pulumi up` as the stack program's are. */
    private static void warn(String warning) {
        if (Internal.of(Deployment.getInstance()).getInternal() instanceof DeploymentImpl deployment) {
            deployment.getLog().warn(warning);
        }
    }
}
