package registrypullaccess.settings;

import java.util.List;
import java.util.Optional;

import static registrypullaccess.settings.ConfigKeys.key;

/**
 * Reads {@code serviceAccounts}, and {@code detachServiceAccounts} for the way from listing the secret in them to
 * pods naming it. Only an explicitly empty list means pods name it: the Pulumi CLI passes Pulumi.yaml's default,
 * ["default"], as if it were set, so an unset key reads as the default.
 */
final class PullSecretUseReader {

    private final ConfigValues values;
    private final Problems problems;

    PullSecretUseReader(ConfigValues values) {
        this.values = values;
        this.problems = values.problems();
    }

    /**
     * How pods use the pull secret, read from the valid names (the problems of the others recorded): no rule between
     * settings reads the names, only which use it is. Empty when {@code serviceAccounts} is not a list, so the use is
     * unknown.
     */
    Optional<PullSecretUse> read() {
        var defaults = PullSecretUse.ThroughServiceAccounts.DEFAULT_SERVICE_ACCOUNTS;
        var serviceAccounts = values.list("serviceAccounts", defaults);
        var detachServiceAccounts = values.list("detachServiceAccounts", List.of());
        var newSecretName = values.nonEmpty("podsNameNewSecret");
        serviceAccounts
                .filter(names -> !names.isEmpty())
                .ifPresent(names -> problems.addAll(KubernetesNames.listProblems(
                        "serviceAccounts",
                        names,
                        KubernetesNames.RFC_1123_SUBDOMAIN,
                        KubernetesNames.SERVICE_ACCOUNT,
                        defaults)));
        detachServiceAccounts.ifPresent(names -> problems.addAll(PullSecretUse.NamedByPods.problems(names)));
        if (serviceAccounts.isEmpty()) {
            return Optional.empty();
        }
        var detach = detachServiceAccounts
                .map(names -> KubernetesNames.validEntries(names, KubernetesNames.RFC_1123_SUBDOMAIN))
                .orElse(List.of());
        if (serviceAccounts.get().isEmpty()) {
            return Optional.of(new PullSecretUse.NamedByPods(detach, newSecretName));
        }
        problems.when(
                detachServiceAccounts.filter(names -> !names.isEmpty()).isPresent(),
                () -> key("detachServiceAccounts") + " only applies with " + key("serviceAccounts") + " [] (pods "
                        + "name the pull secret themselves): it takes the secret out of ServiceAccounts the stack no "
                        + "longer lists it in. Remove it, or write `" + key("serviceAccounts") + ": []` in the stack "
                        + "file.");
        newSecretName.ifPresent(name -> problems.add(key("podsNameNewSecret") + " is \"" + name + "\", but pods do"
                + " not name the pull secret themselves (" + key("serviceAccounts") + " is not []): it says pods name a"
                + " new " + key("secretName") + " beside the old one, ahead of a rename (docs/per-pod.md). Remove it:"
                + " `pulumi config rm " + key("podsNameNewSecret") + "`."));
        var valid = KubernetesNames.validEntries(serviceAccounts.get(), KubernetesNames.RFC_1123_SUBDOMAIN);
        return Optional.of(new PullSecretUse.ThroughServiceAccounts(valid.isEmpty() ? defaults : valid));
    }
}
