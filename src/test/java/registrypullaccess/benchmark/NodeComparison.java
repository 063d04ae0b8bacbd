package registrypullaccess.benchmark;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cold N=1000 on Java against the same declarations on Pulumi's Node.js SDK, side by side: each run a fresh
 * process ({@link ColdRun} in a new JVM with {@code .mvn/jvm.config}'s options, as `pulumi up` starts the
 * program; {@code node benchmarks/node-sdk/bench.mjs N 1}), the two alternating (Java first in odd rounds, Node
 * first in even ones) so that both see the same load, and the medians compared. The machine's load average is
 * printed with every run: on a shared machine the figures mean little without it.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@compare [-Dcompare.runs=5] [-Dcompare.namespaces=1000]}. It
 * runs {@code npm ci} in {@code benchmarks/node-sdk} first when the Node.js SDK is not installed there.
 *
 * <p>Both sides time the same span: from the start of the declarations under the SDK's mocks until every
 * resource is registered, inside the process (the SDK is loaded before the clock starts in Node.js, as an
 * import; in Java its classes load during the run). The process's whole wall time and CPU time are printed too.
 */
public final class NodeComparison {

    private static final Pattern COLD = Pattern.compile("cold (\\d+) (\\d+) ms (\\d+) resources (\\d+) cpu-ms");

    /** The size at which both sides' declarations are compared line by line, before the timed runs. */
    private static final int PARITY_NAMESPACES = 3;

    private NodeComparison() {}

    /** One run's figures: in-process time, whole-process wall time, process CPU time (ms), resources. */
    record Figures(long millis, long processMillis, long cpuMillis, int resources, String load) {}

    public static void main(String[] args) throws Exception {
        var runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        var namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        var base = Path.of("").toAbsolutePath();
        var node = base.resolve("benchmarks/node-sdk");
        installNodeSdk(node);
        sameDeclarations(node);
        var java = javaCommand(base, namespaces);
        var nodeCommand = List.of("node", "bench.mjs", String.valueOf(namespaces), "1");
        System.out.println("cold N=" + namespaces + ", " + runs + " runs each, alternating, each in a fresh process; "
                + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ", "
                + output(node, List.of("node", "--version")).strip());
        System.out.println("uptime at start: " + output(base, List.of("uptime")).strip());
        var javaRuns = new ArrayList<Figures>();
        var nodeRuns = new ArrayList<Figures>();
        for (int round = 1; round <= runs; round++) {
            if (round % 2 == 1) {
                javaRuns.add(print("java", round, run(base, java)));
                nodeRuns.add(print("node", round, run(node, nodeCommand)));
            } else {
                nodeRuns.add(print("node", round, run(node, nodeCommand)));
                javaRuns.add(print("java", round, run(base, java)));
            }
        }
        System.out.println("uptime at end: " + output(base, List.of("uptime")).strip());
        System.out.println();
        System.out.printf(
                "%-6s %10s %-36s %10s %12s %10s%n",
                "", "resources", "cold N=" + namespaces + " runs (ms)", "median ms", "process ms", "CPU ms");
        var javaMedian = summary("java", javaRuns);
        var nodeMedian = summary("node", nodeRuns);
        var javaResources = javaRuns.get(0).resources();
        var nodeResources = nodeRuns.get(0).resources();
        if (javaResources != nodeResources + 1) {
            throw new IllegalStateException("Java declared " + javaResources + " resources and Node.js " + nodeResources
                    + ": they must differ by one (Node.js's mocks declare no stack resource). Bring bench.mjs in step "
                    + "with the program.");
        }
        System.out.printf(
                "java/node: %.2f (median cold N=%d, in-process); Java is %s Node's time%n",
                (double) javaMedian / nodeMedian, namespaces, javaMedian <= nodeMedian ? "at or below" : "above");
    }

    /**
     * Fails unless the Node.js peer tells the engine exactly what the Java program does at the benchmark's
     * configuration ({@link Declarations}, {@code node bench.mjs --dump}), at a small N: the times compare the same
     * work only while the declarations are the same.
     */
    private static void sameDeclarations(Path node) throws IOException, InterruptedException {
        var java = Declarations.of(PARITY_NAMESPACES);
        var nodeLines = output(node, List.of("node", "bench.mjs", "--dump", String.valueOf(PARITY_NAMESPACES)))
                .lines()
                .toList();
        if (!java.equals(nodeLines)) {
            var onlyJava = new ArrayList<>(java);
            onlyJava.removeAll(nodeLines);
            var onlyNode = new ArrayList<>(nodeLines);
            onlyNode.removeAll(java);
            throw new IllegalStateException("bench.mjs does not declare what the program declares at N="
                    + PARITY_NAMESPACES + "; bring it in step (Declarations, node bench.mjs --dump N).\nonly Java:\n"
                    + String.join("\n", onlyJava) + "\nonly Node.js:\n" + String.join("\n", onlyNode));
        }
        System.out.println("the same declarations on both sides at N=" + PARITY_NAMESPACES + ": " + java.size()
                + " registrations, reads, invokes and outputs, identical");
    }

    private static long summary(String name, List<Figures> runs) {
        var median = median(runs.stream().mapToLong(Figures::millis).toArray());
        System.out.printf(
                "%-6s %10d %-36s %10d %12d %10d%n",
                name,
                runs.get(0).resources(),
                runs.stream().map(run -> String.valueOf(run.millis())).collect(Collectors.joining(", ")),
                median,
                median(runs.stream().mapToLong(Figures::processMillis).toArray()),
                median(runs.stream().mapToLong(Figures::cpuMillis).toArray()));
        return median;
    }

    static long median(long[] values) {
        var sorted = values.clone();
        Arrays.sort(sorted);
        var middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Figures print(String name, int round, Figures figures) {
        System.out.printf(
                "run %d %-4s %6d ms (process %6d ms, CPU %6d ms), load %s%n",
                round, name, figures.millis(), figures.processMillis(), figures.cpuMillis(), figures.load());
        return figures;
    }

    private static Figures run(Path directory, List<String> command) throws IOException, InterruptedException {
        var loadavg = Files.readString(Path.of("/proc/loadavg"));
        var load = loadavg.substring(0, loadavg.indexOf(' '));
        var start = System.nanoTime();
        var output = output(directory, command);
        var processMillis = (System.nanoTime() - start) / 1_000_000;
        var matcher = COLD.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(String.join(" ", command) + " printed no cold-run line:\n" + output);
        }
        return new Figures(
                Long.parseLong(matcher.group(2)),
                processMillis,
                Long.parseLong(matcher.group(4)),
                Integer.parseInt(matcher.group(3)),
                load);
    }

    /**
     * A new JVM for {@link ColdRun}, with the options `pulumi up` gives the program on its default (Maven) path:
     * those in {@code .mvn/jvm.config}, and this benchmark's classpath.
     */
    private static List<String> javaCommand(Path base, int namespaces) throws IOException, URISyntaxException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(
                Files.readString(base.resolve(".mvn/jvm.config")).strip().split("\\s+")));
        command.add("-cp");
        command.add(classpath());
        command.add(ColdRun.class.getName());
        command.add(String.valueOf(namespaces));
        return command;
    }

    /** The test classpath: exec:java's class loader lists it; a plain {@code java} has it in its property. */
    private static String classpath() throws URISyntaxException {
        if (NodeComparison.class.getClassLoader() instanceof URLClassLoader loader) {
            var entries = new ArrayList<String>();
            for (var url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static void installNodeSdk(Path node) throws IOException, InterruptedException {
        if (Files.isDirectory(node.resolve("node_modules/@pulumi/pulumi"))) {
            return;
        }
        System.out.println("benchmarks/node-sdk: npm ci (the Node.js SDK at the version package-lock.json pins)");
        output(node, List.of("npm", "ci", "--no-audit", "--no-fund"));
    }

    private static String output(Path directory, List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        return output;
    }
}
