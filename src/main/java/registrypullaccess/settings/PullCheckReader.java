package registrypullaccess.settings;

import java.util.List;
import java.util.Optional;

import static registrypullaccess.settings.ConfigKeys.key;

/** Reads the optional pull check: {@code verifyImage} and {@code verifyHelperImage}. */
final class PullCheckReader {

    private final ConfigValues values;
    private final Problems problems;

    PullCheckReader(ConfigValues values) {
        this.values = values;
        this.problems = values.problems();
    }

    /**
     * The pull check; empty when none is asked for, or when the image is wrong (the problems are recorded), and the
     * rules between settings that read it are skipped.
     *
     * @param tokenMode whether the cluster pulls with tokens, whose token-ready Jobs run the helper image with or
     *                  without the check; empty when the credentials could not be read (their problems say why)
     */
    Optional<PullCheck> read(Optional<Boolean> tokenMode) {
        var image = values.nonEmpty("verifyImage");
        var helperImage = values.string("verifyHelperImage", PullCheck.DEFAULT_HELPER_IMAGE);
        var helperProblems = PullCheck.helperProblems(helperImage);
        problems.addAll(helperProblems);
        // Compared with the default, which the Pulumi CLI passes as if it were set (Pulumi.yaml).
        if (image.isEmpty()
                && helperProblems.isEmpty()
                && tokenMode.equals(Optional.of(false))
                && !PullCheck.DEFAULT_HELPER_IMAGE.equals(helperImage)) {
            problems.add(key("verifyHelperImage") + ": \"" + helperImage + "\" is set, but " + key("verifyImage")
                    + " is not, and without " + key("credentials") + " token nothing else runs it: only the pull"
                    + " check and token mode's token-ready Jobs do, so it would be ignored. Set " + key("verifyImage")
                    + " to an image in a repository the stack grants, or remove it: `pulumi config rm "
                    + key("verifyHelperImage") + "`.");
        }
        var found = image.map(PullCheck::imageProblems).orElse(List.of());
        problems.addAll(found);
        if (image.isEmpty() || !found.isEmpty()) {
            return Optional.empty();
        }
        // No rule between settings reads the helper image: a wrong one, named above, gives way to the default.
        return Optional.of(
                new PullCheck(image.get(), helperProblems.isEmpty() ? helperImage : PullCheck.DEFAULT_HELPER_IMAGE));
    }
}
