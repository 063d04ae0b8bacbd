package registrypullaccess.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What is wrong with a piece of configuration, collected so that one run names every problem. */
final class Problems {

    private final List<String> found = new ArrayList<>();

    void add(String problem) {
        found.add(problem);
    }

    void addAll(List<String> problems) {
        found.addAll(problems);
    }

    void when(boolean wrong, Supplier<String> problem) {
        if (wrong) {
            found.add(problem.get());
        }
    }

    List<String> list() {
        return List.copyOf(found);
    }

    /** For a settings record's constructor: a value that breaks a rule is never built. */
    static void require(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
