package registrypullaccess.settings;

import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Kubernetes' rules for object names, with messages that say how to write a valid one. */
public final class KubernetesNames {

    /** Namespaces. */
    static final Pattern RFC_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Secrets, ServiceAccounts. */
    static final Pattern RFC_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public static final String NAMESPACE = "a namespace name: use at most 63 lowercase letters, digits and '-', "
            + "starting and ending with a letter or digit (an RFC 1123 label).";
    static final String SERVICE_ACCOUNT = "a ServiceAccount name: use lowercase letters, digits, '-' and '.', "
            + "starting and ending with a letter or digit.";

    private KubernetesNames() {}

    static boolean isSubdomain(String name) {
        return name.length() <= 253 && RFC_1123_SUBDOMAIN.matcher(name).matches();
    }

    /** The names that keep the rule, each once, in order: what a list with a bad entry can still be judged by. */
    static List<String> validEntries(List<String> names, Pattern rule) {
        return names.stream()
                .filter(value -> value.length() <= 253 && rule.matcher(value).matches())
                .distinct()
                .toList();
    }

    /** A list of names under one key: at least one, each valid, each once. */
    static List<String> listProblems(
            String name, List<String> names, Pattern rule, String what, List<String> defaultValue) {
        var problems = new Problems();
        problems.when(
                names.isEmpty(),
                () -> ConfigKeys.key(name) + " is empty: list at least one, or remove the key to use "
                        + defaultValue.stream()
                                .map(value -> "\"" + value + "\"")
                                .toList() + ".");
        names.stream()
                .filter(value -> value.length() > 253 || !rule.matcher(value).matches())
                .forEach(value -> problems.add(ConfigKeys.key(name) + ": \"" + value + "\" is not " + what));
        var seen = new HashSet<String>();
        names.stream()
                .filter(value -> !seen.add(value))
                .distinct()
                .forEach(duplicate -> problems.add(
                        ConfigKeys.key(name) + ": \"" + duplicate + "\" is listed more than once; list it once."));
        return problems.list();
    }
}
