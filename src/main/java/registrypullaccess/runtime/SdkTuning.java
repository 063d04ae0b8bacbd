package registrypullaccess.runtime;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.context.internal.ConfigContextInternal;
import com.pulumi.context.internal.ContextInternal;
import com.pulumi.context.internal.LoggingContextInternal;
import com.pulumi.context.internal.OutputContextInternal;
import com.pulumi.core.internal.OutputFactory;
import com.pulumi.deployment.internal.DeploymentImpl;
import com.pulumi.deployment.internal.DeploymentInstanceHolder;
import com.pulumi.deployment.internal.DeploymentInstanceInternal;
import com.pulumi.internal.PulumiInternal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the Pulumi Java SDK fast, and live, with many resources on small machines.
 *
 * <p>The SDK's runner is replaced by a {@link CountingRunner} ({@link #run} in place of {@code Pulumi.run}):
 * the SDK's own spends most of a large program's time formatting its list of pending tasks.
 *
 * <p>With 2 CPUs the JDK gives the common ForkJoinPool a parallelism of 1, and {@code CompletableFuture}
 * then starts a new thread for every asynchronous step (1000 namespaces took 5.8 s warm with the SDK's
 * runner). A pool of 2 is about three times faster, but on its own it can hang for good: the SDK's task
 * loop re-queues itself on the worker running it, which takes its own newest task first, and a pool worker
 * only wakes when work arrives in an empty queue. The other worker sleeps while the tasks the loop waits
 * for sit under it. A daemon that hands the pool an empty task when it finds a worker asleep beside waiting
 * tasks wakes the sleeping worker, which then takes those tasks over (seen here with the SDK's runner: a hang
 * in 1 of 4 runs without it, none in 30 with it, looking every 5 ms). The counting runner leaves that loop only
 * the program's last few tasks; the wake-ups stay for them, looking every 20 ms: a rare hang then costs at
 * most that long, where each look costs CPU time for the whole run.
 *
 * <p>The pool size only takes effect before the pool is first used, so it is set at the start of every
 * {@code main} (for {@code java -jar}, the prebuilt-jar runtime) and in {@code .mvn/jvm.config} (for
 * {@code mvn exec:java}, which Pulumi's Java host runs by default and whose JVM has the pool started).
 * {@code .mvn/jvm.config} also limits the JIT to C1, which starts faster: a `pulumi up` is one cold run.
 *
 * <p>All of this is built from the core SDK's internal classes (pinned at 1.36.1). Setting the environment
 * variable {@value #SWITCH}{@code =sdk} runs the program with the SDK's own {@code Pulumi.run} instead, for
 * when a newer SDK makes the workaround unnecessary or wrong.
 */
public final class SdkTuning {

    /** The environment variable that turns the workaround off ({@code sdk}). */
    public static final String SWITCH = "REGISTRY_PULL_ACCESS_RUNNER";

    public static final String PARALLELISM_PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";
    public static final String PARALLELISM = "2";
    private static final long WAKE_UP_MILLIS = 20;

    private SdkTuning() {}

    /** Runs the program as {@code Pulumi.run} would, tuned unless {@value #SWITCH} says otherwise. Ends the process. */
    @SuppressWarnings("try") // the wake-ups are used by being open
    public static void run(Consumer<Context> program) {
        if (usesSdkRunner(System.getenv(SWITCH))) {
            Pulumi.run(program);
            return;
        }
        // runTuned ends the process itself; the wake-ups are closed only if it fails to start.
        try (var wakeUps = start()) {
            runTuned(program);
        }
    }

    /** Whether the switch's value asks for the SDK's own runner; anything else but unset is a mistake. */
    static boolean usesSdkRunner(String switchValue) {
        if (switchValue == null || switchValue.isEmpty() || switchValue.equals("tuned")) {
            return false;
        }
        if (switchValue.equals("sdk")) {
            return true;
        }
        throw new IllegalArgumentException(SWITCH + "=" + switchValue + ": use sdk (the SDK's own Pulumi.run) "
                + "or tuned (the default), or leave it unset.");
    }

    /**
     * What {@code Pulumi.run} does, with the SDK's runner replaced by a {@link CountingRunner}: the SDK reads
     * the runner when it makes the deployment, so it cannot be swapped afterwards. Ends the process.
     */
    private static void runTuned(Consumer<Context> program) {
        var deployment = deployment(DeploymentImpl.DeploymentState.fromEnvironment());
        DeploymentInstanceHolder.setInstance(new DeploymentInstanceInternal(deployment));
        var config = deployment.getConfig();
        var context = new ContextInternal(
                deployment.getOrganizationName(),
                deployment.getProjectName(),
                deployment.getStackName(),
                new LoggingContextInternal(deployment.getLog()),
                new ConfigContextInternal(deployment.getProjectName(), name -> new Config(config, name)),
                new OutputContextInternal(new OutputFactory(deployment.getRunner())),
                List.of());
        new PulumiInternal(deployment.getRunner(), context).run(program);
    }

    /** A deployment whose runner is a {@link CountingRunner}; also what the offline runs use. */
    public static DeploymentImpl deployment(DeploymentImpl.DeploymentState state) {
        state.runner = new CountingRunner(state.runner);
        return new DeploymentImpl(state);
    }

    /**
     * Sets the pool size unless the user chose one, and wakes the pool's idle workers until closed.
     * Close it when the program is done: `mvn exec:java` waits for every thread its program started.
     */
    public static WakeUps start() {
        if (System.getProperty(PARALLELISM_PROPERTY) == null) {
            System.setProperty(PARALLELISM_PROPERTY, PARALLELISM);
        }
        return new WakeUps();
    }

    /**
     * A daemon that looks at the common pool every few milliseconds and hands it an empty task when a worker
     * sleeps while tasks wait: only then is there a worker to wake and work for it. Handing one over on every
     * look, as before, woke a sleeping worker for nothing hundreds of times a second (a cold run at 1000
     * namespaces found a worker asleep beside waiting tasks in 16 of 16,045 looks), and with the looks
     * themselves took 4% of the run's CPU time (docs/performance.md).
     */
    public static final class WakeUps implements AutoCloseable {
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            var thread = new Thread(task, "common-pool-wake-up");
            thread.setDaemon(true);
            return thread;
        });

        private WakeUps() {
            var unused = executor.scheduleAtFixedRate(
                    () -> wakeUp(ForkJoinPool.commonPool()), WAKE_UP_MILLIS, WAKE_UP_MILLIS, TimeUnit.MILLISECONDS);
        }

        /** Hands the pool an empty task if a worker sleeps while tasks wait; true if it did. */
        static boolean wakeUp(ForkJoinPool pool) {
            var waiting = pool.getQueuedTaskCount() + pool.getQueuedSubmissionCount() > 0;
            if (waiting && pool.getActiveThreadCount() < pool.getParallelism()) {
                pool.execute(() -> {});
                return true;
            }
            return false;
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
