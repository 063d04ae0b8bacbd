package registrypullaccess;

import com.pulumi.Context;
import com.pulumi.resources.ComponentResourceOptions;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** Entry point: reads the stack configuration once and declares the pull access it describes. */
public final class App {

    private App() {
    }

    @SuppressWarnings("try") // the wake-ups are used by being open
    public static void main(String[] args) {
        // SdkTuning.run ends the process itself; the wake-ups are closed only if it fails to start.
        try (var wakeUps = SdkTuning.start()) {
            SdkTuning.run(App::stack);
        }
    }

    public static void stack(Context ctx) {
        declare(ctx, Settings.fromConfig(ConfigSource.of(ctx)), LocalDate.now(ZoneOffset.UTC));
    }

    /** Declares everything for already validated settings and a given date; tests call this directly. */
    public static PullAccess declare(Context ctx, Settings settings, LocalDate today) {
        settings.warnings().forEach(ctx.log()::warn);
        var access = new PullAccess("pull-access", settings, today, ComponentResourceOptions.Empty);
        ctx.export("serviceAccountEmail", access.serviceAccountEmail);
        access.pullSecretName.ifPresent(name -> ctx.export("pullSecretName", name));
        access.namespaces.ifPresent(namespaces -> ctx.export("namespaces", namespaces));
        ctx.export("registryHosts", access.registryHosts);
        ctx.export("registries", access.registries);
        access.keyPeriodStart.ifPresent(start -> ctx.export("keyPeriodStart", start));
        access.nextKeyRotation.ifPresent(next -> ctx.export("nextKeyRotation", next));
        return access;
    }
}
