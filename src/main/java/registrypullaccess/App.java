package registrypullaccess;

import com.pulumi.Context;
import com.pulumi.resources.ComponentResourceOptions;
import registrypullaccess.access.PullAccess;
import registrypullaccess.access.PullAccessArgs;
import registrypullaccess.runtime.SdkTuning;
import registrypullaccess.settings.ConfigSource;
import registrypullaccess.settings.Settings;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Entry point: reads the stack configuration once into {@link Settings} and declares the {@link PullAccess}
 * they describe; the component's outputs are the stack's.
 */
public final class App {

    private App() {}

    public static void main(String[] args) {
        SdkTuning.run(App::stack);
    }

    public static void stack(Context ctx) {
        declare(ctx, Settings.fromConfig(ConfigSource.of(ctx)), LocalDate.now(ZoneOffset.UTC));
    }

    /** Declares everything for already validated settings and a given date; tests call this directly. */
    public static PullAccess declare(Context ctx, Settings settings, LocalDate today) {
        settings.warnings().forEach(ctx.log()::warn);
        var access = new PullAccess("pull-access", PullAccessArgs.of(settings, today), ComponentResourceOptions.Empty);
        access.outputs().forEach(ctx::export);
        return access;
    }
}
