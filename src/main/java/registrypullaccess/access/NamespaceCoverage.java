package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import registrypullaccess.settings.Coverage;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.Settings;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pull secrets where the coverage says, whatever the way of pulling: in every listed namespace
 * ({@link PullSecrets}), or once in the home namespace for Kyverno to copy ({@link ClusterWideCoverage}); then
 * the pull checks ({@link PullCheckJob}).
 */
final class NamespaceCoverage {

    private NamespaceCoverage() {}

    /**
     * What a way of pulling puts in the namespaces, for {@link #declare} to place where the coverage says.
     *
     * @param pullSecret     how the pull secret reaches the namespaces
     * @param adopt          whether hand-made Secrets and namespaces are imported
     * @param names          the Secrets that ServiceAccounts list or pods name, in that order
     * @param inNamespace    declares the secrets of one listed namespace, given the listed coverage
     * @param source         the Secret in the home namespace, cluster-wide
     * @param namespacesWait what a namespace the stack creates waits for
     * @param triggers       what makes a pull check run again
     */
    record Secrets(
            PullSecretSettings pullSecret,
            boolean adopt,
            List<String> names,
            Function<Coverage.Listed, PullSecrets.InNamespace> inNamespace,
            ClusterWideCoverage.SourceSecret source,
            List<Resource> namespacesWait,
            Output<Map<String, String>> triggers) {}

    /**
     * The pull secrets where the coverage says: in every listed namespace, or once in the home namespace for
     * Kyverno to copy; then the pull checks. Returns the output that names where.
     *
     * @param former the entries of ours the last update listed in each ServiceAccount and this one does not
     */
    static Map.Entry<String, Output<?>> declare(
            Children children,
            Settings settings,
            List<Resource> grants,
            Secrets secrets,
            Output<FormerEntries> former) {
        var pullSecret = secrets.pullSecret();
        var pod = PullCheckJob.Pod.of(settings, secrets.names());
        return settings.coverage()
                .match(
                        listed -> {
                            var readyByNamespace = PullSecrets.declare(
                                    children,
                                    settings,
                                    pullSecret,
                                    secrets.adopt(),
                                    secrets.names(),
                                    secrets.inNamespace().apply(listed),
                                    grants,
                                    secrets.namespacesWait(),
                                    former);
                            // Detached, no ServiceAccount lists the secret any more: a check could only fail.
                            settings.pullCheck()
                                    .filter(check -> !pullSecret.detach())
                                    .ifPresent(check -> PullCheckJob.declareInEach(
                                            children,
                                            check,
                                            readyByNamespace,
                                            pod,
                                            pullSecret.name(),
                                            grants,
                                            secrets.triggers()));
                            return Map.entry("namespaces", Output.of(settings.namespaces()));
                        },
                        clusterWide -> {
                            var declared = ClusterWideCoverage.declare(
                                    children,
                                    clusterWide,
                                    settings,
                                    pullSecret.name(),
                                    pullSecret.detach(),
                                    secrets.source(),
                                    grants,
                                    former);
                            // Detached, nothing is copied or listed any more: a check could only fail.
                            settings.pullCheck()
                                    .filter(check -> !pullSecret.detach())
                                    .ifPresent(check -> PullCheckJob.declareClusterWide(
                                            children,
                                            clusterWide,
                                            check,
                                            pod,
                                            pullSecret.name(),
                                            declared,
                                            grants,
                                            secrets.triggers()));
                            return Map.entry("homeNamespace", Output.of(clusterWide.home()));
                        });
    }
}
