package registrypullaccess.settings;

import com.pulumi.exceptions.RunException;

import java.util.List;

/**
 * Stack configuration that cannot be deployed; the message lists every problem and how to fix it. A
 * {@link RunException}: the SDK's error for a program's own failure, which it hands the engine as its
 * message alone (exit code 32), where any other exception is logged as an unhandled one with its stack trace.
 */
public final class InvalidSettingsException extends RunException {

    private static final long serialVersionUID = 1L;

    // JDK 21+ lint (serial): List is not Serializable as a type; the list List.copyOf returns is.
    @SuppressWarnings("serial")
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("The stack configuration is not valid; nothing was deployed:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
