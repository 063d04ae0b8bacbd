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

    /** How pods use the pull secret; empty when its keys are wrong (the problems are recorded). */
    Optional<PullSecretUse> read() {
        var before = problems.list().size();
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
        if (problems.list().size() > before || serviceAccounts.isEmpty() || detachServiceAccounts.isEmpty()) {
            return Optional.empty();
        }
        if (!serviceAccounts.get().isEmpty() && !detachServiceAccounts.get().isEmpty()) {
            problems.add(key("detachServiceAccounts") + " only applies with " + key("serviceAccounts") + " [] (pods "
                    + "name the pull secret themselves): it takes the secret out of ServiceAccounts the stack no longer "
                    + "lists it in. Remove it, or write `" + key("serviceAccounts") + ": []` in the stack file.");
            return Optional.empty();
        }
        if (!serviceAccounts.get().isEmpty() && newSecretName.isPresent()) {
            problems.add(key("podsNameNewSecret") + " is \"" + newSecretName.get() + "\", but pods do not name the pull"
                    + " secret themselves (" + key("serviceAccounts") + " is not []): it says pods name a new "
                    + key("secretName") + " beside the old one, ahead of a rename (docs/per-pod.md). Remove it:"
                    + " `pulumi config rm " + key("podsNameNewSecret") + "`.");
            return Optional.empty();
        }
        return Optional.of(
                serviceAccounts.get().isEmpty()
                        ? new PullSecretUse.NamedByPods(detachServiceAccounts.get(), newSecretName)
                        : new PullSecretUse.ThroughServiceAccounts(serviceAccounts.get()));
    }
}
