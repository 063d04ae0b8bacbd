package registrypullaccess.settings;

import java.util.List;
import java.util.Optional;

/** Reads the optional pull check: {@code verifyImage} and {@code verifyHelperImage}. */
final class PullCheckReader {

    private final ConfigValues values;
    private final Problems problems;

    PullCheckReader(ConfigValues values) {
        this.values = values;
        this.problems = values.problems();
    }

    /** The pull check; empty when none is asked for, or when its keys are wrong (the problems are recorded). */
    Optional<PullCheck> read() {
        var image = values.nonEmpty("verifyImage");
        var helperImage = values.string("verifyHelperImage", PullCheck.DEFAULT_HELPER_IMAGE);
        problems.addAll(PullCheck.helperProblems(helperImage));
        var found = image.map(PullCheck::imageProblems).orElse(List.of());
        problems.addAll(found);
        if (image.isEmpty() || !found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PullCheck(image.get(), helperImage));
    }
}
