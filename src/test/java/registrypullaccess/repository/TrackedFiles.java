package registrypullaccess.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The files git tracks, so that the tests check the repository and not whatever else lies in a developer's
 * working tree: {@code pulumi stack init alice} writes an untracked {@code Pulumi.alice.yaml} beside
 * {@code Pulumi.yaml}, which the workflows do not deploy and no test should fail over.
 */
final class TrackedFiles {

    private TrackedFiles() {}

    /** The tracked files, relative to the repository root, whose path matches {@code pattern} in full. */
    static List<Path> matching(Pattern pattern) throws IOException {
        return all().stream()
                .filter(path -> pattern.matcher(path.toString()).matches())
                .toList();
    }

    /** Every tracked file that exists in the working tree (a deletion not yet committed is not one). */
    static List<Path> all() throws IOException {
        var process = new ProcessBuilder("git", "ls-files", "-z")
                .redirectErrorStream(true)
                .start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("`git ls-files` failed in " + Path.of("").toAbsolutePath()
                        + ": the tests read the repository's files from git. " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git ls-files", e);
        }
        return Arrays.stream(output.split("\0"))
                .filter(name -> !name.isEmpty())
                .map(Path::of)
                .filter(Files::isRegularFile)
                .sorted()
                .toList();
    }
}
