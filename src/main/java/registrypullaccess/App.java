package registrypullaccess;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.resources.ComponentResourceOptions;

/** Entry point: reads the stack configuration once and declares the pull access it describes. */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    public static void stack(Context ctx) {
        declare(ctx, Settings.fromConfig(ConfigSource.of(ctx)));
    }

    /** Declares everything for already validated settings; tests call this directly. */
    public static PullAccess declare(Context ctx, Settings settings) {
        settings.warnings().forEach(ctx.log()::warn);
        var access = new PullAccess("pull-access", settings, ComponentResourceOptions.Empty);
        ctx.export("serviceAccountEmail", access.serviceAccountEmail);
        access.pullSecretName.ifPresent(name -> ctx.export("pullSecretName", name));
        access.namespaces.ifPresent(namespaces -> ctx.export("namespaces", namespaces));
        ctx.export("registryHosts", access.registryHosts);
        ctx.export("registries", access.registries);
        return access;
    }
}
