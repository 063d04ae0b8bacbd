package registrypullaccess.settings;

import registrypullaccess.kyverno.KyvernoPolicies;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the pull secret reaches the namespaces.
 *
 * @param name             the Secret's name in every namespace
 * @param email            the optional e-mail written to the docker config, like {@code --docker-email}
 * @param createNamespaces whether the stack creates (and destroy removes) the namespaces
 * @param detach           whether to take the pull secret out of the ServiceAccounts, before a destroy
 */
public record PullSecretSettings(String name, Optional<String> email, boolean createNamespaces, boolean detach) {

    public static final String DEFAULT_NAME = "registry-pull-secret";
    /** After a Secret's name, the ConfigMap that owns each Secret the stack writes (and deletes it with it). */
    public static final String OWNER_SUFFIX = "-owner";

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    public PullSecretSettings {
        Problems.require(problems(name, email));
    }

    /**
     * A name that must differ between stacks with different Secrets, e.g. on the same namespaces: the name itself
     * for the default Secret (what such objects were always named, so no stack sees them replaced), else with 10 hex
     * characters of a digest of the Secret's name, which may be as long as a name can be.
     */
    public static String perSecret(String name, String secretName) {
        return DEFAULT_NAME.equals(secretName)
                ? name
                : name + "-"
                        + KyvernoPolicies.digest(Map.of("secretName", secretName))
                                .substring(0, 10);
    }

    /** In token mode: the Secret of the other registries' passwords, beside the token Secret. */
    public String otherRegistriesName() {
        return otherRegistriesName(name);
    }

    /** The Secret of the other registries' passwords beside the token Secret {@code secretName}. */
    public static String otherRegistriesName(String secretName) {
        return secretName + "-other-registries";
    }

    /** In token mode: the Kubernetes ServiceAccount, in the home namespace, that tokens are minted as. */
    public String minterName() {
        return name + "-minter";
    }

    /** In listed token mode: the ServiceAccount, in the home namespace, that may read the token Secret there. */
    public String readerName() {
        return name + "-reader";
    }

    /**
     * In listed token mode: the ClusterSecretStore the listed namespaces copy the token Secret through. Cluster-wide,
     * so named after the home namespace as well: one stack's alone.
     */
    public String storeName(String home) {
        return home + "-" + name;
    }

    static List<String> problems(String name, Optional<String> email) {
        var problems = new Problems();
        problems.addAll(nameProblems(name));
        problems.addAll(emailProblems(email));
        return problems.list();
    }

    static List<String> nameProblems(String name) {
        var problems = new Problems();
        problems.when(
                !KubernetesNames.isSubdomain(name),
                () -> ConfigKeys.key("secretName") + ": \"" + name + "\" is "
                        + "not a Secret name: use at most 253 lowercase letters, digits, '-' and '.', starting and ending "
                        + "with a letter or digit.");
        problems.when(
                KubernetesNames.isSubdomain(name) && (name + OWNER_SUFFIX).length() > SettingsRules.MAX_OBJECT_NAME,
                () -> ConfigKeys.key("secretName") + ": \"" + name.substring(0, 20) + "...\" is too long: the"
                        + " ConfigMap that owns the Secret is named after it (\"..." + OWNER_SUFFIX + "\"), and a name"
                        + " has at most " + SettingsRules.MAX_OBJECT_NAME + " characters; use at most "
                        + (SettingsRules.MAX_OBJECT_NAME - OWNER_SUFFIX.length()) + ".");
        return problems.list();
    }

    static List<String> emailProblems(Optional<String> email) {
        return Objects.requireNonNull(email, "email")
                .filter(value -> !EMAIL.matcher(value).matches())
                .map(value -> List.of(ConfigKeys.key("email") + ": \"" + value
                        + "\" is not an e-mail address; leave the key unset if you do not need one."))
                .orElse(List.of());
    }
}
