package registrypullaccess.repository;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The program's picture stays readable (docs/development.md, Layout): no main source file over 300 lines, the
 * root package holds {@code App} alone, and imports run down the layers, {@code App} and {@code component} →
 * {@code access} → {@code settings} → the pure helpers ({@code pullsecret} → {@code registry}, and {@code kyverno},
 * {@code externalsecrets}, {@code runtime}), with at most two running back up.
 */
class SourceLayoutTest {

    static final int MAX_LINES = 300;
    static final int MAX_UPWARD_IMPORTS = 2;

    /** Each package's layer: a package may use those of a higher number; a new package must be given one here. */
    static final Map<String, Integer> LAYERS = Map.of(
            "registrypullaccess", 0,
            "registrypullaccess.component", 0,
            "registrypullaccess.access", 1,
            "registrypullaccess.settings", 2,
            "registrypullaccess.pullsecret", 3,
            "registrypullaccess.kyverno", 3,
            "registrypullaccess.externalsecrets", 3,
            "registrypullaccess.runtime", 3,
            "registrypullaccess.registry", 4);

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([a-z.]+);");
    /** A class of ours named by its package: in an import, or written out in the code. */
    private static final Pattern OUR_CLASS = Pattern.compile("\\b(registrypullaccess(?:\\.[a-z]+)*)\\.[A-Z]\\w*");

    private static final Pattern DEPENDS_ON_WITHOUT_CHECKS =
            Pattern.compile("\\.dependsOn\\((?!(?:\\w+\\.)?after\\()[^)]*\\)?");

    private static final Pattern BLOCK_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");
    private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^\\s*//.*$");

    @Test
    void noMainSourceFileIsOver300Lines() throws IOException {
        var tooLong = new TreeSet<String>();
        for (var file : mainSources()) {
            var lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.add(file + ": " + lines + " lines");
            }
        }
        assertTrue(
                tooLong.isEmpty(),
                "Split these along what they do (docs/development.md, Layout), at most " + MAX_LINES + " lines each: "
                        + tooLong);
    }

    /**
     * A child's own {@code dependsOn} replaces the one that makes it wait for the update's checks (Children), so each
     * passes through {@code after(...)}: a refused update must register nothing, with or without a preview.
     */
    @Test
    void everyDependsOnWaitsForTheUpdatesChecks() throws IOException {
        var bypassing = new TreeSet<String>();
        for (var file : mainSources()) {
            var code = LINE_COMMENT
                    .matcher(BLOCK_COMMENT.matcher(Files.readString(file)).replaceAll(""))
                    .replaceAll("");
            var calls = DEPENDS_ON_WITHOUT_CHECKS.matcher(code);
            while (calls.find()) {
                bypassing.add(file.getFileName() + ": " + calls.group());
            }
        }
        assertTrue(bypassing.isEmpty(), "pass these through children.after(...): " + bypassing);
    }

    @Test
    void theRootPackageHoldsAppAlone() throws IOException {
        var root = mainSources().stream()
                .filter(file -> packageOf(file).equals("registrypullaccess"))
                .map(file -> file.getFileName().toString())
                .toList();
        assertEquals(List.of("App.java"), root, "the root package holds the entry point alone");
    }

    @Test
    void importsRunDownTheLayersWithAtMostTwoBackUp() throws IOException {
        var unknown = new TreeSet<String>();
        var upward = new ArrayList<String>();
        for (var file : mainSources()) {
            var from = packageOf(file);
            if (!LAYERS.containsKey(from)) {
                unknown.add(from);
                continue;
            }
            var code = LINE_COMMENT
                    .matcher(BLOCK_COMMENT.matcher(Files.readString(file)).replaceAll(""))
                    .replaceAll("");
            var used = new TreeSet<String>();
            var matcher = OUR_CLASS.matcher(PACKAGE.matcher(code).replaceFirst(""));
            while (matcher.find()) {
                var to = matcher.group(1);
                if (to.equals(from)) {
                    continue;
                }
                if (!LAYERS.containsKey(to)) {
                    unknown.add(to);
                } else if (LAYERS.get(to) <= LAYERS.get(from)) {
                    used.add(file.getFileName() + " -> " + matcher.group());
                }
            }
            upward.addAll(used);
        }
        assertTrue(unknown.isEmpty(), "give each package a layer in SourceLayoutTest.LAYERS: " + unknown);
        assertFalse(
                upward.size() > MAX_UPWARD_IMPORTS,
                "imports run down the layers (App, component -> access -> settings -> pullsecret -> registry, and kyverno, "
                        + "externalsecrets, runtime); at most " + MAX_UPWARD_IMPORTS + " may run back up, these "
                        + upward.size() + " do: " + upward);
    }

    private static List<Path> mainSources() throws IOException {
        var sources = TrackedFiles.matching(Pattern.compile("src/main/java/.*\\.java"));
        assertFalse(sources.isEmpty(), "git tracks the main sources");
        return sources;
    }

    private static String packageOf(Path file) {
        try {
            var matcher = PACKAGE.matcher(Files.readString(file));
            assertTrue(matcher.find(), file + " declares its package");
            return matcher.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
