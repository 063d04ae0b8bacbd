package registrypullaccess.offline;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.internal.PulumiTestInternal;
import registrypullaccess.runtime.SdkTuning;
import registrypullaccess.settings.ConfigKeys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs the program under the Pulumi SDK's mock engine, with {@link FakeGoogleCloud} in place of the
 * providers: no CLI, no cloud, no cluster. What it returns is the desired state the program declares,
 * never a diff against what exists.
 *
 * @param resources  every resource registered, in registration order
 * @param outputs    the stack outputs; secret ones wrapped in {@link DeclaredResource.SecretValue}
 * @param warnings   what the program warned about, as {@code pulumi up} would print it
 * @param exceptions what the program threw
 * @param reads      every resource the program read, in the order read
 */
public record OfflineRun(
        List<DeclaredResource> resources,
        Map<String, Object> outputs,
        List<String> warnings,
        List<Exception> exceptions,
        List<DeclaredResource.Read> reads) {

    /** The stack name of every run but another stack's on the same cluster. */
    public static final String STACK = "offline";

    /**
     * Runs a program with the given stack configuration ({@code namespace:key} to value, structured
     * values as JSON, as the Pulumi CLI passes them).
     */
    public static OfflineRun run(Map<String, String> config, Set<String> secretKeys, Consumer<Context> program) {
        return run(new FakeGoogleCloud(), config, secretKeys, program);
    }

    /** Runs a program against a given fake cloud, e.g. one whose ServiceAccounts already list pull secrets. */
    public static OfflineRun run(
            FakeGoogleCloud mocks, Map<String, String> config, Set<String> secretKeys, Consumer<Context> program) {
        return run(mocks, mocks.preview(), config, secretKeys, program);
    }

    /** Runs a program against any providers' answers, e.g. the transition model's, which wrap a fake cloud. */
    public static OfflineRun run(
            Mocks mocks,
            boolean preview,
            Map<String, String> config,
            Set<String> secretKeys,
            Consumer<Context> program) {
        return run(mocks, preview, config, secretKeys, program, STACK);
    }

    /** The same, as the stack of the given name (two stacks of one project on one cluster have two names). */
    @SuppressWarnings("try") // the wake-ups are used by being open
    public static OfflineRun run(
            Mocks mocks,
            boolean preview,
            Map<String, String> config,
            Set<String> secretKeys,
            Consumer<Context> program,
            String stackName) {
        var monitor = new RecordingMonitor(mocks);
        var logged = new LoggedWarnings();
        try (var wakeUps = SdkTuning.start()) {
            var test = PulumiTestInternal.builder()
                    .standardLogger(logged.logger)
                    .options(TestOptions.builder()
                            .projectName(ConfigKeys.PROJECT)
                            .stackName(stackName)
                            .preview(preview)
                            .build())
                    .mocks(mocks)
                    .config(config, secretKeys)
                    .monitorDecorator(ignored -> monitor)
                    .deploymentFactory(SdkTuning::deployment)
                    .build();
            var result = test.runTest(program);
            var outputs = new LinkedHashMap<String, Object>();
            // A failed run's outputs may hold the failure itself, which reading them would throw.
            if (result.exceptions().isEmpty()) {
                result.outputs().forEach((name, output) -> outputs.put(name, value(output)));
            }
            return new OfflineRun(
                    monitor.declared(), outputs, logged.messages(), List.copyOf(result.exceptions()), monitor.reads());
        } finally {
            PulumiTest.cleanup();
        }
    }

    /** The first exception's innermost cause: what the program itself threw. */
    public Optional<Throwable> failure() {
        return exceptions.stream().findFirst().map(error -> {
            Throwable cause = error;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause;
        });
    }

    public List<DeclaredResource> ofType(String type) {
        return resources.stream()
                .filter(resource -> type.equals(resource.type()))
                .toList();
    }

    /**
     * Collects warnings instead of printing them: the SDK logs a program's exception with its whole stack
     * trace, where callers want to show the program's own message.
     */
    private static final class LoggedWarnings extends Handler {
        private final Logger logger = Logger.getAnonymousLogger();
        private final List<String> messages = new CopyOnWriteArrayList<>();

        LoggedWarnings() {
            logger.setUseParentHandlers(false);
            logger.addHandler(this);
        }

        List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void publish(LogRecord record) {
            if (Level.WARNING.equals(record.getLevel())) {
                messages.add(record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    private static Object value(Output<?> output) {
        var data = PulumiTestInternal.extractOutputData(output);
        var value = data.getValueNullable();
        return data.isSecret() ? new DeclaredResource.SecretValue(value) : value;
    }
}
