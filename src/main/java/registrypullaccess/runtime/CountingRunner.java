package registrypullaccess.runtime;

import com.pulumi.core.internal.ContextAwareCompletableFuture;
import com.pulumi.deployment.internal.Runner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Keeps count of the Pulumi SDK's in-flight tasks in place of the SDK's own runner, and hands the end of the
 * run back to it.
 *
 * <p>The SDK (1.36.1) registers a task for every {@code Output} it makes: 166,000 at 1000 namespaces, up to
 * 40,000 pending at once. Its runner keeps them in a map and waits for them in a loop that re-queues itself
 * without pause and, on every pass, formats the whole map into a debug string, logged or not; the loop also
 * holds one of a small machine's cores. Here a task costs a counter, and the wait is a future completed when
 * the count falls to zero: no thread spins or blocks.
 *
 * <p>Once the program's tasks are done, or one has failed, the SDK's runner runs a last step that returns the
 * program's value or rethrows its failure, so the exit code and the error text are the SDK's own. Tasks
 * registered after that, such as the SDK's logging of the failure, go to the SDK's runner.
 */
final class CountingRunner implements Runner {
    private final Runner sdkRunner;
    private final Object lock = new Object();
    private int pending;
    private Throwable failure;
    private boolean handedBack;
    /** Completed when the count falls to zero or a task fails: when {@link #allTasksDone} looks again. */
    private CompletableFuture<Void> lookAgain = new CompletableFuture<>();

    CountingRunner(Runner sdkRunner) {
        this.sdkRunner = sdkRunner;
    }

    @Override
    public <T> void registerTask(String description, CompletableFuture<T> task) {
        CompletableFuture<Void> lookAgainOnEnd;
        synchronized (lock) {
            if (handedBack) {
                lookAgainOnEnd = null;
            } else {
                if (pending++ == 0) {
                    lookAgain = new CompletableFuture<>();
                }
                lookAgainOnEnd = lookAgain;
            }
        }
        if (lookAgainOnEnd == null) {
            sdkRunner.registerTask(description, task);
            return;
        }
        // Attached now, before anything the program builds on the task: a future runs its later dependents
        // first, so tasks they register are counted before this one is uncounted. One that still comes after
        // the count reached zero goes to the SDK's runner, which waits for it. The future whenComplete
        // returns only repeats the task's outcome, which the callback records.
        var unused = task.whenComplete((value, error) -> {
            boolean last;
            synchronized (lock) {
                if (error != null && failure == null) {
                    failure = error;
                }
                last = --pending == 0;
            }
            if (last || error != null) {
                lookAgainOnEnd.complete(null);
            }
        });
    }

    /**
     * Runs the program, waits for its tasks without holding a thread, then lets the SDK's runner finish:
     * it returns the program's value, or reports the program's or the first failed task's exception.
     */
    @Override
    public <T> CompletableFuture<Result<T>> runAsync(Supplier<T> callback) {
        return ContextAwareCompletableFuture.supplyAsync(callback)
                .thenCompose(value -> allTasksDone().thenApply(done -> value))
                .handle((value, error) -> {
                    synchronized (lock) {
                        handedBack = true;
                    }
                    Supplier<T> outcome = () -> {
                        if (error != null) {
                            throw error instanceof CompletionException completion
                                    ? completion
                                    : new CompletionException(error);
                        }
                        return value;
                    };
                    return outcome;
                })
                .thenCompose(sdkRunner::runAsync);
    }

    /** Completes once no task is pending, or fails with the first failed task's exception. */
    private CompletableFuture<Void> allTasksDone() {
        CompletableFuture<Void> next;
        synchronized (lock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            if (pending == 0) {
                // In the same breath as seeing zero: a task registered from now on goes to the SDK's runner.
                handedBack = true;
                return CompletableFuture.completedFuture(null);
            }
            next = lookAgain;
        }
        return next.thenCompose(looked -> allTasksDone());
    }
}
