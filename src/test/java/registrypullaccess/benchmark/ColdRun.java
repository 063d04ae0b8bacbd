package registrypullaccess.benchmark;

import registrypullaccess.runtime.SdkTuning;

import java.lang.management.ManagementFactory;

/**
 * One cold run: the program for N namespaces under the mock engine, as the first work of a fresh JVM, which is
 * what one `pulumi up` is. Prints one line for {@link NodeComparison} to read: the run's wall time, the resources
 * declared and the process's CPU time so far ({@code cold N ms RESOURCES resources CPU cpu-ms}). The Node.js
 * peer, {@code benchmarks/node-sdk/bench.mjs}, prints the same line for the same declarations.
 */
public final class ColdRun {

    private ColdRun() {}

    public static void main(String[] args) {
        // Before anything uses the common pool: its size is read once.
        SdkTuning.start().close();
        var namespaces = Integer.parseInt(args[0]);
        var config = Benchmark.config(namespaces);
        var start = System.nanoTime();
        var run = Benchmark.run(config);
        var millis = (System.nanoTime() - start) / 1_000_000;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(
                "cold %d %d ms %d resources %d cpu-ms%n",
                namespaces, millis, run.resources().size(), os.getProcessCpuTime() / 1_000_000);
    }
}
