package registrypullaccess.benchmark;

import registrypullaccess.App;
import registrypullaccess.Fixtures;
import registrypullaccess.SdkTuning;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.Render;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Declares the program for N namespaces under the mock engine, in one process, and prints per N the
 * resources declared, the wall time, the time per resource and the depth of the dependency graph.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:exec@benchmark}. Each N is run once to warm the JVM up and
 * then {@code ROUNDS} times; the fastest round is reported (the least disturbed by the machine).
 */
public final class Benchmark {

    private static final int[] NAMESPACES = {1, 10, 100, 1000};
    private static final int ROUNDS = 5;

    private Benchmark() {
    }

    public static void main(String[] args) {
        SdkTuning.apply();
        System.out.println("common pool parallelism " + ForkJoinPool.getCommonPoolParallelism() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version());
        System.out.printf("%-6s %10s %10s %12s %6s%n", "N", "resources", "wall ms", "ms/resource", "depth");
        for (var n : NAMESPACES) {
            var config = Fixtures.manyNamespaces(n, "eu.gcr.io", "europe-west1-docker.pkg.dev/acme-shared/images");
            run(config);
            long best = Long.MAX_VALUE;
            OfflineRun last = null;
            for (int round = 0; round < ROUNDS; round++) {
                var start = System.nanoTime();
                last = run(config);
                best = Math.min(best, System.nanoTime() - start);
            }
            var resources = last.resources().size();
            var depth = Render.dependencyDepths(last.resources()).values().stream()
                    .mapToInt(Integer::intValue).max().orElse(0);
            var millis = best / 1e6;
            System.out.printf("%-6d %10d %10.0f %12.3f %6d%n", n, resources, millis, millis / resources, depth);
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
