package registrypullaccess.repository;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code run:} step of a composite action under .github/actions, run with bash as the runner runs it, so that a
 * test checks what the step does rather than what it says.
 */
record ActionStep(String script) {

    /** What a run of the step did: its exit code and everything it printed. */
    record Outcome(int exitCode, String output) {}

    @SuppressWarnings("unchecked")
    static ActionStep named(String action, String name) throws IOException {
        Map<String, Object> document;
        try (var reader = Files.newBufferedReader(Path.of(".github/actions", action, "action.yml"))) {
            document = new Yaml().load(reader);
        }
        var steps = (List<Map<String, Object>>) ((Map<String, Object>) document.get("runs")).get("steps");
        return steps.stream()
                .filter(step -> name.equals(step.get("name")))
                .map(step -> new ActionStep((String) step.get("run")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(action + " has no step named " + name));
    }

    /** Runs the step in {@code directory} with bash's {@code -e} as the runner does, and {@code environment}. */
    Outcome run(Path directory, Map<String, String> environment) throws IOException, InterruptedException {
        var output = Files.createTempFile("action-step", ".log");
        try {
            var process = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            process.environment().putAll(environment);
            var running = process.start();
            if (!running.waitFor(60, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                throw new AssertionError("the step still runs after 60 s: " + script);
            }
            return new Outcome(running.exitValue(), Files.readString(output));
        } finally {
            Files.delete(output);
        }
    }
}
