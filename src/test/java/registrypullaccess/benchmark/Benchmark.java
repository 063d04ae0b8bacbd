package registrypullaccess.benchmark;

import registrypullaccess.App;
import registrypullaccess.Fixtures;
import registrypullaccess.offline.FakeEngine;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.OfflineRun;
import registrypullaccess.offline.Render;
import registrypullaccess.runtime.SdkTuning;
import registrypullaccess.settings.ConfigKeys;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * Declares the program for N namespaces under the mock engine, in one process, and prints per N the
 * resources declared, the first run's wall time, the best of {@code ROUNDS} further runs, the time per
 * resource and the depth of the dependency graph. Then runs {@code App.main} per N in a new JVM against
 * {@link FakeEngine}, over gRPC as under {@code pulumi up}, and prints its wall time.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@benchmark}, which runs in Maven's JVM with
 * {@code .mvn/jvm.config}, as `pulumi up` does. The first N's first run is a cold start; to see a cold start
 * at a given size, name only that size: {@code -Dbenchmark.namespaces="1000"}. Then listed token mode at 1, 100,
 * 1,000 and 10,000 namespaces ({@link #tokenListed}).
 */
public final class Benchmark {

    private static final int ROUNDS = 5;

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        // Before anything uses the common pool: its size is read once.
        SdkTuning.start().close();
        if (args.length > 0 && args[0].startsWith("token")) {
            tokenListed(
                    Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray(), !args[0].equals("token-render"));
            return;
        }
        var sizes = args.length > 0
                ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 10, 100, 1000};
        System.out.println("common pool parallelism " + ForkJoinPool.getCommonPoolParallelism() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ", JVM options "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf(
                "%-6s %10s %10s %10s %12s %6s%n", "N", "resources", "first ms", "best ms", "ms/resource", "depth");
        for (var n : sizes) {
            var config = config(n);
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
            System.out.printf(
                    "%-6d %10d %10.0f %10.0f %12.3f %6d%n",
                    n, resources, firstMillis, bestMillis, bestMillis / resources, depth);
        }
        clusterWide();
        tokenListed(new int[0], true);
        System.out.println();
        System.out.println("App.main in a new JVM per N over gRPC, against a fake engine, as Pulumi's Java host runs "
                + "a prebuilt jar (JAVA_TOOL_OPTIONS: "
                + Objects.requireNonNullElse(System.getenv("JAVA_TOOL_OPTIONS"), "unset")
                + "); the fake engine shares the machine, warmed by one run first:");
        System.out.printf("%-6s %10s %10s%n", "N", "resources", "ms");
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "benchmark")) {
            runMain(engine, Arrays.stream(sizes).max().orElseThrow());
            for (var n : sizes) {
                var before = engine.types().size();
                var millis = runMain(engine, n);
                System.out.printf("%-6d %10d %10d%n", n, engine.types().size() - before, millis);
            }
        }
    }

    /**
     * Cluster-wide coverage names no namespace: the namespaces Kyverno covers are in the cluster, not in the
     * stack, so the program is the same for 1 selected namespace as for 1000, and so are its resources and time.
     * Each row runs the same configuration; the column N is what the cluster holds, which the program never sees.
     */
    private static void clusterWide() {
        System.out.println();
        System.out.println("cluster-wide (allNamespaces: true), N = selected namespaces in the cluster, which the "
                + "stack never lists: the same program and resources for any N (Kyverno does the per-namespace work "
                + "in the cluster, after `pulumi up`):");
        System.out.printf("%-6s %10s %10s %6s%n", "N", "resources", "best ms", "depth");
        var config = new java.util.HashMap<>(
                Fixtures.manyNamespaces(0, "eu.gcr.io", "europe-west1-docker.pkg.dev/acme-shared/images"));
        config.remove("registry-pull-access:namespaces");
        config.put("registry-pull-access:allNamespaces", "true");
        // A first cluster-wide `pulumi up` without the pull check is refused (DeployedShape, firstCoverRefusal).
        config.put("registry-pull-access:verifyImage", Fixtures.CHECK_IMAGE);
        for (var n : new int[] {1, 1000}) {
            var run = run(config);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                var start = System.nanoTime();
                run = run(config);
                best = Math.min(best, System.nanoTime() - start);
            }
            System.out.printf(
                    "%-6d %10d %10.0f %6d%n",
                    n, run.resources().size(), best / 1e6, Render.dependencyDepth(run.resources()));
        }
    }

    /** The Google IAM member types the program declares: reader grants and the minter's grant. */
    private static final Set<String> IAM_MEMBERS = Set.of(
            "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
            "gcp:storage/bucketIAMMember:BucketIAMMember",
            "gcp:projects/iAMMember:IAMMember",
            "gcp:serviceaccount/iAMMember:IAMMember");

    private static final String WORKLOAD_IDENTITY_USER = "gcp:serviceaccount/iAMMember:IAMMember";

    /**
     * Listed token mode, on a cluster outside GKE (the larger of the two: a workload identity pool and provider
     * too): per N the resources, the Google IAM members (all of them, and the {@code workloadIdentityUser} ones),
     * the render time under the mock engine in this JVM (one run, after one at N=1 warmed it), and App.main in a
     * new JVM over gRPC against the fake engine. Run only this: {@code -Dbenchmark.namespaces="token"}, or
     * {@code "token 10000"} for given sizes, or {@code "token-render ..."} without App.main.
     */
    private static void tokenListed(int[] given, boolean main) throws Exception {
        var sizes = given.length > 0 ? given : new int[] {1, 100, 1000, 10_000};
        System.out.println();
        System.out.println("listed token mode (credentials token, oidcIssuer, two registries), N listed namespaces:");
        System.out.printf(
                "%-6s %10s %12s %12s %10s %12s%n",
                "N", "resources", "IAM members", "WI users", "render ms", "App.main ms");
        run(tokenConfig(1));
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "benchmark")) {
            for (var n : sizes) {
                var config = tokenConfig(n);
                var start = System.nanoTime();
                var run = run(config);
                var renderMillis = (System.nanoTime() - start) / 1e6;
                var members = run.resources().stream()
                        .filter(resource -> IAM_MEMBERS.contains(resource.type()))
                        .count();
                var users = run.ofType(WORKLOAD_IDENTITY_USER).size();
                var mainMillis = main ? String.valueOf(runMain(engine, config)) : "-";
                System.out.printf(
                        "%-6d %10d %12d %12d %10.0f %12s%n",
                        n, run.resources().size(), members, users, renderMillis, mainMillis);
            }
        }
    }

    private static Map<String, String> tokenConfig(int namespaces) {
        var config = new java.util.HashMap<>(config(namespaces));
        config.put("registry-pull-access:credentials", "token");
        config.put("registry-pull-access:oidcIssuer", "https://oidc.acme.example/cluster");
        return config;
    }

    private static long runMain(FakeEngine engine, int namespaces) throws Exception {
        return runMain(engine, config(namespaces));
    }

    private static long runMain(FakeEngine engine, Map<String, String> config) throws Exception {
        var run = engine.runMain(config);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("App.main failed: " + run.output());
        }
        return run.millis();
    }

    static Map<String, String> config(int namespaces) {
        return Fixtures.manyNamespaces(namespaces, "eu.gcr.io", "europe-west1-docker.pkg.dev/acme-shared/images");
    }

    static OfflineRun run(Map<String, String> config) {
        var run = OfflineRun.run(config, Set.of(), App::stack);
        if (!run.exceptions().isEmpty()) {
            throw new IllegalStateException(
                    "the program failed", run.exceptions().get(0));
        }
        return run;
    }
}
