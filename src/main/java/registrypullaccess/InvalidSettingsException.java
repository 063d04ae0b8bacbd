package registrypullaccess;

import java.util.List;

/** Stack configuration that cannot be deployed; the message lists every problem and how to fix it. */
public final class InvalidSettingsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("The stack configuration is not valid; nothing was deployed:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
