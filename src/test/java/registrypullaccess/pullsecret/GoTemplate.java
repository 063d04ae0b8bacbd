package registrypullaccess.pullsecret;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders External Secrets Operator templates (engine v2) with the real Go {@code text/template} and
 * sprig: runs {@code tools/go-template}, which {@code tools/test-tools.sh} builds before the tests. Each
 * template sees the data as {@code .} (a map of strings), with {@code missingkey=error} and sprig's
 * functions minus {@code env}, {@code expandenv} and {@code getHostByName}, as ESO executes them.
 *
 * <p>The binary's path comes from the system property {@value #BINARY_PROPERTY} (surefire sets it);
 * without it, {@code target/go-template/go-template}. A missing binary fails the test, never skips it.
 */
public final class GoTemplate {

    public static final String BINARY_PROPERTY = "goTemplate.binary";

    private static final Gson GSON = new Gson();
    private static final long TIMEOUT_SECONDS = 30;

    private GoTemplate() {}

    /** Thrown when a template does not parse or fails to execute; the message is the engine's error. */
    public static final class TemplateException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateException(String message) {
            super(message);
        }
    }

    public static Path binary() {
        var binary = Path.of(System.getProperty(BINARY_PROPERTY, "target/go-template/go-template"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("the Go template runner is not at " + binary.toAbsolutePath()
                    + ": run `bash tools/test-tools.sh` (./mvnw test runs it before the tests)");
        }
        return binary;
    }

    /** Renders every template with {@code data} as {@code .}; returns template key -> rendered text. */
    public static Map<String, String> execute(Map<String, String> templates, Map<String, String> data) {
        var binary = binary();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("go-template");
            var templatesFile = Files.writeString(dir.resolve("templates.json"), GSON.toJson(templates));
            var dataFile = Files.writeString(dir.resolve("data.json"), GSON.toJson(data));
            var stdout = dir.resolve("stdout");
            var stderr = dir.resolve("stderr");
            var process = new ProcessBuilder(binary.toString(), templatesFile.toString(), dataFile.toString())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(binary + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            var error = Files.readString(stderr, StandardCharsets.UTF_8).strip();
            switch (process.exitValue()) {
                case 0 -> {
                    return parse(Files.readString(stdout, StandardCharsets.UTF_8));
                }
                case 1 -> throw new TemplateException(error);
                default ->
                    throw new IllegalStateException(binary + " exited with " + process.exitValue() + ": " + error);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static Map<String, String> parse(String json) {
        try {
            Map<String, String> rendered = GSON.fromJson(json, new TypeToken<Map<String, String>>() {}.getType());
            if (rendered == null) {
                throw new IllegalStateException("the Go template runner printed nothing");
            }
            return new TreeMap<>(rendered);
        } catch (JsonParseException e) {
            throw new IllegalStateException("the Go template runner printed no JSON object: " + json, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (var file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
