package registrypullaccess.runtime;

import com.pulumi.deployment.internal.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import registrypullaccess.settings.InvalidSettingsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

// A runner that waits for the wrong thing waits for ever; join() ignores interrupts, so the timeout runs the test
// in a thread of its own and fails it instead of hanging with it.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CountingRunnerTest {

    private final SdkRunnerStandIn sdk = new SdkRunnerStandIn();
    private final CountingRunner runner = new CountingRunner(sdk);

    @Test
    void finishesOnlyWhenTheProgramsLastTaskIsDone() {
        var task = new CompletableFuture<String>();

        var result = runner.runAsync(() -> {
            runner.registerTask("resource", task);
            return "stack";
        });

        assertFalse(settlesSoon(result), "finished with a task pending");
        task.complete("done");
        assertEquals(Optional.of("stack"), result.join().result());
        assertEquals(0, result.join().exitCode());
    }

    @Test
    void waitsForTasksThatTasksRegister() {
        var first = new CompletableFuture<String>();
        var second = new CompletableFuture<String>();

        // As in the SDK: an output is registered when it is made, and what is built on it comes after.
        var result = runner.runAsync(() -> {
            runner.registerTask("first", first);
            var unused = first.thenRun(() -> runner.registerTask("built on the first", second));
            return "stack";
        });
        assertFalse(settlesSoon(result), "finished with a task pending");
        first.complete("done");

        assertFalse(settlesSoon(result), "finished before the task registered by a finished task");
        second.complete("done");
        assertEquals(0, result.join().exitCode());
        assertEquals(List.of(), sdk.registered, "the second task was left to the SDK's runner");
    }

    @Test
    void letsTheSdkRunnerReportTheFirstFailedTask() {
        var slow = new CompletableFuture<String>();
        var failing = new CompletableFuture<String>();

        var result = runner.runAsync(() -> {
            runner.registerTask("slow", slow);
            runner.registerTask("failing", failing);
            return "stack";
        });
        failing.completeExceptionally(new IllegalStateException("the provider said no"));

        assertEquals(SdkRunnerStandIn.FAILED, result.join().exitCode(), "waited for the slow task after a failure");
        assertEquals(
                "the provider said no",
                rootCause(result.join().exceptions().get(0)).getMessage());
    }

    @Test
    void stopsWaitingWhenATaskFailsWhileItWaitsAndReportsThatFailure() throws Exception {
        var slow = new CompletableFuture<String>();
        var failing = new CompletableFuture<String>();
        var result = runner.runAsync(() -> {
            runner.registerTask("slow", slow);
            runner.registerTask("failing", failing);
            return "stack";
        });

        awaitWaiting(runner);
        var failure = new IllegalStateException("the provider said no");
        failing.completeExceptionally(failure);

        assertEquals(SdkRunnerStandIn.FAILED, result.join().exitCode(), "waited for the slow task after a failure");
        assertSame(failure, result.join().exceptions().get(0).getCause(), "reported once wrapped, as the SDK expects");
        assertFalse(slow.isDone());
    }

    @Test
    void reportsATaskThatFailedBeforeTheProgramReturned() {
        var slow = new CompletableFuture<String>();
        var failure = new IllegalStateException("the provider said no");

        var result = runner.runAsync(() -> {
                    runner.registerTask("slow", slow);
                    runner.registerTask("failed", CompletableFuture.failedFuture(failure));
                    runner.registerTask("fine", CompletableFuture.completedFuture("done"));
                    return "stack";
                })
                .join();

        assertEquals(SdkRunnerStandIn.FAILED, result.exitCode());
        assertSame(failure, result.exceptions().get(0).getCause());
    }

    @Test
    void waitsAgainForATaskRegisteredAfterTheCountFellToZero() {
        var later = new CompletableFuture<String>();

        var result = runner.runAsync(() -> {
            runner.registerTask("done at once", CompletableFuture.completedFuture("done"));
            runner.registerTask("later", later);
            return "stack";
        });

        assertFalse(settlesSoon(result), "finished with a task pending");
        later.complete("done");
        assertEquals(Optional.of("stack"), result.join().result());
    }

    /**
     * Returns once the runner waits for its pending tasks: the program has returned and the runner's
     * wake-up future has a dependent. No sleep decides it, so the test reaches the waiting path every time.
     */
    private static void awaitWaiting(CountingRunner runner) throws Exception {
        var field = CountingRunner.class.getDeclaredField("lookAgain");
        field.setAccessible(true);
        while (((CompletableFuture<?>) field.get(runner)).getNumberOfDependents() == 0) {
            Thread.onSpinWait();
        }
    }

    @Test
    void letsTheSdkRunnerReportTheProgramsOwnException() {
        Supplier<String> program = () -> {
            throw new InvalidSettingsException(List.of("namespaces: must not be empty"));
        };

        var result = runner.runAsync(program).join();

        assertEquals(SdkRunnerStandIn.FAILED, result.exitCode());
        assertTrue(rootCause(result.exceptions().get(0)) instanceof InvalidSettingsException);
    }

    @Test
    void handsTasksRegisteredAfterTheProgramToTheSdkRunner() {
        runner.runAsync(() -> "stack").join();

        runner.registerTask("shutdown logging", CompletableFuture.completedFuture(null));

        assertEquals(List.of("shutdown logging"), sdk.registered);
    }

    @Test
    void keepsTheProgramsTasksFromTheSdkRunner() {
        runner.runAsync(() -> {
                    runner.registerTask("resource", CompletableFuture.completedFuture(null));
                    return "stack";
                })
                .join();

        assertEquals(List.of(), sdk.registered);
    }

    private static boolean settlesSoon(CompletableFuture<?> result) {
        try {
            result.get(200, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception stillRunning) {
            return false;
        }
    }

    private static Throwable rootCause(Throwable error) {
        var cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Runs the callback at once, as the SDK's runner does after the counting runner's wait. */
    private static final class SdkRunnerStandIn implements Runner {
        static final int FAILED = ProcessExitedAfterLoggingUserActionableMessage;
        final List<String> registered = new ArrayList<>();

        @Override
        public <T> void registerTask(String description, CompletableFuture<T> task) {
            registered.add(description);
        }

        @Override
        public <T> CompletableFuture<Result<T>> runAsync(Supplier<T> callback) {
            try {
                var value = callback.get();
                return CompletableFuture.completedFuture(
                        new Result<>(ProcessExitedSuccessfully, List.of(), Optional.of(value)) {});
            } catch (RuntimeException error) {
                return CompletableFuture.completedFuture(new Result<>(FAILED, List.of(error), Optional.empty()) {});
            }
        }
    }
}
