package registrypullaccess.benchmark;

import registrypullaccess.App;
import registrypullaccess.Fixtures;
import registrypullaccess.SdkTuning;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.Render;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Declares the program for N namespaces under the mock engine, in one process, and prints per N the
 * resources declared, the first run's wall time, the best of {@code ROUNDS} further runs, the time per
 * resource and the depth of the dependency graph.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@benchmark}, which runs in Maven's JVM with
 * {@code .mvn/jvm.config}, as `pulumi up` does. The first N's first run is a cold start; to see a cold start
 * at a given size, name only that size: {@code -Dbenchmark.namespaces="1000"}.
 */
public final class Benchmark {

    private static final int ROUNDS = 5;

    private Benchmark() {
    }

    public static void main(String[] args) {
        // Before anything uses the common pool: its size is read once.
        SdkTuning.start().close();
        var sizes = args.length > 0 ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[]{1, 10, 100, 1000};
        System.out.println("common pool parallelism " + ForkJoinPool.getCommonPoolParallelism() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ", JVM options "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf("%-6s %10s %10s %10s %12s %6s%n", "N", "resources", "first ms", "best ms", "ms/resource",
                "depth");
        for (var n : sizes) {
            var config = Fixtures.manyNamespaces(n, "eu.gcr.io", "europe-west1-docker.pkg.dev/acme-shared/images");
            var first = System.nanoTime();
            var run = run(config);
            var firstMillis = (System.nanoTime() - first) / 1e6;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                var start = System.nanoTime();
                run = run(config);
                best = Math.min(best, System.nanoTime() - start);
            }
            var resources = run.resources().size();
            var depth = Render.dependencyDepth(run.resources());
            var bestMillis = best / 1e6;
            System.out.printf("%-6d %10d %10.0f %10.0f %12.3f %6d%n", n, resources, firstMillis, bestMillis,
                    bestMillis / resources, depth);
        }
    }

    private static OfflineRun run(Map<String, String> config) {
        var run = OfflineRun.run(config, Set.of(), App::stack);
        if (!run.exceptions().isEmpty()) {
            throw new IllegalStateException("the program failed", run.exceptions().get(0));
        }
        return run;
    }
}
