package registrypullaccess.benchmark;

import registrypullaccess.offline.FakeEngine;
import registrypullaccess.offline.FakeGoogleCloud;
import registrypullaccess.offline.StackFile;
import registrypullaccess.settings.ConfigKeys;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The preview job on a fresh clone, timed from its start to the program's first resource registration (the first
 * after the stack's own) against {@link FakeEngine}, as Pulumi's Java host starts the program:
 *
 * <ul>
 *   <li>maven: what a fresh clone does on every `pulumi preview`: the plugin discovery run
 *       ({@code ./mvnw ... compile exec:java -DmainClass=com.pulumi.bootstrap.internal.Main -DmainArgs=packages}),
 *       then {@code ./mvnw ... compile exec:java} (pulumi-java {@code pkg/internal/executors/executor_maven.go});
 *   <li>jar: what the workflows' preview job does with the jar their build job made once ({@code java -cp JAR
 *       com.pulumi.bootstrap.internal.Main packages}, then {@code java -jar JAR}: {@code executor_jar.go}), with
 *       the {@code JAVA_TOOL_OPTIONS} the action sets. The build job's {@code package} is timed apart.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java@first-resource}, which clones the repository's HEAD into a
 * temporary directory. {@code -DfirstResource.repository=DIR} gives the clone's Maven runs that local repository
 * (an empty one for cold figures; it downloads from Maven Central). Prints last, exactly:
 * {@code time to first resource: maven S1 s, jar S2 s}.
 */
public final class FirstResource {

    private static final String JAR = "target/registry-pull-access.jar";
    private static final String BOOTSTRAP = "com.pulumi.bootstrap.internal.Main";

    private FirstResource() {}

    public static void main(String[] args) throws Exception {
        var clone = Files.createTempDirectory("first-resource");
        try {
            measure(clone, args);
        } finally {
            try (var files = Files.walk(clone)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void measure(Path clone, String[] args) throws Exception {
        var repository =
                args.length > 0 && !args[0].isBlank() ? List.of("-Dmaven.repo.local=" + args[0]) : List.<String>of();
        run(Path.of("."), Map.of(), "git", "clone", "--quiet", "--no-hardlinks", ".", clone.toString());
        var config = StackFile.load(clone.resolve("Pulumi.dev.yaml")).values();
        System.out.println("fresh clone of HEAD in " + clone + "; Maven local repository: "
                + (repository.isEmpty() ? "the default (warm)" : args[0]) + "; load average before: "
                + loadAverage());

        var maven = new ArrayList<>(List.of("./mvnw"));
        maven.addAll(repository);
        var discovery = new ArrayList<>(maven);
        discovery.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "--no-transfer-progress",
                "compile",
                "exec:java",
                "-DmainClass=" + BOOTSTRAP,
                "-DmainArgs=packages"));
        var program = new ArrayList<>(maven);
        program.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "--no-transfer-progress", "compile", "exec:java"));
        var mavenSeconds = timeToFirstResource(clone, config, Map.of(), discovery, program);

        var build = new ArrayList<>(maven);
        build.addAll(List.of("-B", "-q", "-DskipTests", "-Dmaven.test.skip=true", "package"));
        var buildStart = System.nanoTime();
        run(clone, Map.of(), build.toArray(String[]::new));
        System.out.printf("build job, once per workflow run: package %.1f s%n", (System.nanoTime() - buildStart) / 1e9);

        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var jarSeconds = timeToFirstResource(
                clone,
                config,
                Map.of("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MaxTenuringThreshold=1"),
                List.of(java, "-cp", JAR, BOOTSTRAP, "packages"),
                List.of(java, "-jar", JAR));

        System.out.println("load average after: " + loadAverage());
        System.out.printf("time to first resource: maven %.1f s, jar %.1f s%n", mavenSeconds, jarSeconds);
    }

    /** Runs plugin discovery, then the program against a fresh fake engine; seconds from the start to its first resource. */
    private static double timeToFirstResource(
            Path clone,
            Map<String, String> config,
            Map<String, String> environment,
            List<String> discovery,
            List<String> program)
            throws Exception {
        try (var engine = new FakeEngine(new FakeGoogleCloud(), ConfigKeys.PROJECT, "dev")) {
            var start = System.nanoTime();
            var plugins = run(clone, environment, discovery.toArray(String[]::new));
            if (!plugins.contains("\"name\":\"gcp\"") || !plugins.contains("\"name\":\"kubernetes\"")) {
                throw new IllegalStateException("plugin discovery found no gcp and kubernetes plugins: " + plugins);
            }
            var withEngine = new java.util.HashMap<>(environment);
            withEngine.putAll(engine.environment(config, true));
            run(clone, withEngine, program.toArray(String[]::new));
            if (!engine.errors().isEmpty()) {
                throw new IllegalStateException("the program logged errors: " + engine.errors());
            }
            var first = engine.firstResourceNanos()
                    .orElseThrow(() -> new IllegalStateException("the program registered no resource"));
            return (first - start) / 1e9;
        }
    }

    /** Runs a command to its end in {@code directory}; its standard output, or an exception with all it printed. */
    private static String run(Path directory, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        var output = Files.createTempFile("first-resource", ".out");
        var errors = Files.createTempFile("first-resource", ".err");
        try {
            var builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            builder.environment().putAll(environment);
            var process = builder.start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " still runs after 30 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ":\n" + Files.readString(output) + Files.readString(errors));
            }
            return Files.readString(output);
        } finally {
            Files.delete(output);
            Files.delete(errors);
        }
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
