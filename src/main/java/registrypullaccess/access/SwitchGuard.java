package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.core.v1.ConfigMap;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.Secret;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.Coverage;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an update may do, by what the stack deployed before it ({@link DeployedShape}, read back through
 * {@link DeploymentMarker}): refuse at preview a switch that no single update makes without a window where pods cannot
 * pull, naming the one that does; release to ESO's or Kyverno's copies the Secrets the stack wrote that they take over;
 * refuse to install a Helm release that is there already, or a record over its share of the annotations
 * ({@link RecordEncoding}). See docs/operations.md, "Switching".
 */
final class SwitchGuard {

    private SwitchGuard() {}

    /**
     * This update's shape, once checked against the last one and with the releases read: what every resource that
     * must wait for the check (the record of what was deployed) waits for.
     *
     * @throws InvalidSettingsException in the returned output, when the update is refused
     */
    static Output<DeployedShape> checked(
            Children children, Settings settings, DeploymentMarker marker, DeployedShape shape) {
        return Output.tuple(marker.previous(), marker.installedReleases()).apply(read -> {
            var previous = read.t1;
            var refusals = new ArrayList<String>();
            // The first cover's refusal only where the switch itself is not refused: each way of a refused switch
            // that needs the pull check names it (the same check, asked once), but for the rename while
            // ServiceAccounts leave the list (RenamedEntries), a way of two updates whose first step must come first:
            // the check belongs to the update that covers first, and that step's own preview names it.
            previous.flatMap(last -> last.refusal(
                            shape,
                            ConfigKeys.key("secretName"),
                            settings.pullCheck().isPresent()))
                    .or(() -> previous.flatMap(last -> PerPodRename.refusal(last, shape, settings.podsNameNewSecret())))
                    .or(() -> shape.firstCoverRefusal(
                            previous, settings.pullCheck().isPresent()))
                    .ifPresent(refusals::add);
            // A release in use, or a record too large, is refused whatever else the update does, and its way (keep
            // the running release; fewer names, or cluster-wide) fits any other: named beside the switch's refusal,
            // not after it is fixed.
            shape.releaseRefusal(previous, read.t2, releaseKeys(settings)).ifPresent(refusals::add);
            RecordEncoding.refusal(shape.toJson()).ifPresent(refusals::add);
            if (!refusals.isEmpty()) {
                throw new InvalidSettingsException(refusals);
            }
            var released = previous.map(last -> release(children, settings, last, shape))
                    .orElse(List.of());
            // The record waits for the reads that release, so the update cannot end without them.
            return Output.all(released).applyValue(done -> shape);
        });
    }

    /** The Helm releases these settings install, {@code namespace/name}, each with the key that installs it. */
    private static Map<String, String> releaseKeys(Settings settings) {
        var releases = new LinkedHashMap<String, String>();
        if (settings.coverage() instanceof Coverage.ClusterWide clusterWide && clusterWide.installKyverno()) {
            releases.put(PinnedChart.KYVERNO.id(), ConfigKeys.key("installKyverno"));
        }
        if (settings.puller() instanceof Puller.Token token && token.installExternalSecrets()) {
            releases.put(PinnedChart.EXTERNAL_SECRETS.id(), ConfigKeys.key("installExternalSecrets"));
        }
        return releases;
    }

    /** What this update deploys, for the next one to read. */
    static DeployedShape shape(Settings settings) {
        var credentials = settings.puller()
                .match(withKey -> DeployedShape.KEY, withToken -> DeployedShape.TOKEN, node -> DeployedShape.NODE);
        var pullSecret = settings.puller().pullSecret();
        var secretName = pullSecret.map(PullSecretSettings::name).orElse("");
        var detach = pullSecret.map(PullSecretSettings::detach).orElse(false);
        var tokenIdentity = settings.puller() instanceof Puller.Token token
                ? IdentityChange.whoMints(settings.gcpProject(), token)
                : "";
        return settings.coverage()
                .match(
                        listed -> new DeployedShape(
                                credentials,
                                false,
                                listed.namespaces(),
                                List.of(),
                                listed.home(),
                                secretName,
                                detach,
                                settings.podsNameThePullSecret(),
                                List.copyOf(releaseKeys(settings).keySet()),
                                false,
                                settings.serviceAccounts(),
                                Map.of(),
                                settings.pullSecretNames(),
                                tokenIdentity,
                                List.of()),
                        clusterWide -> new DeployedShape(
                                credentials,
                                true,
                                List.of(),
                                clusterWide.excluded(),
                                clusterWide.home(),
                                secretName,
                                detach,
                                settings.podsNameThePullSecret(),
                                List.copyOf(releaseKeys(settings).keySet()),
                                !clusterWide.selector().isEmpty(),
                                settings.serviceAccounts(),
                                clusterWide.selector(),
                                settings.pullSecretNames(),
                                tokenIdentity,
                                List.of()));
    }

    /**
     * Releases the listed Secrets the last update wrote where a controller's copy now takes them over: a read of the
     * same resource (same name, same id) tells the engine to stop managing it without deleting it (pulumi v3.253.0,
     * pkg/resource/deploy/step_generator.go, GenerateReadSteps: "relinquish"; isOperatedOn counts reads, so the
     * delete after the program is not generated). ESO's or Kyverno's copy is then the only writer of that object.
     *
     * <p>Cluster-wide, Kyverno copies into every namespace but the excluded (and the home namespace, which with a key
     * holds a Secret of this stack under the name the listed one had there: the same resource,
     * {@link ClusterWideCoverage#withData}, updated, not released). With a selector, a namespace's labels decide: it
     * is read (a namespace the last update wrote a Secret in exists, or that Secret's delete would fail as well).
     */
    private static List<Output<String>> release(
            Children children, Settings settings, DeployedShape last, DeployedShape next) {
        var candidates = last.relinquished(
                next,
                namespace -> settings.coverage()
                        .match(
                                listed -> false,
                                clusterWide -> !clusterWide.excluded().contains(namespace)
                                        && !(settings.puller() instanceof Puller.Key
                                                && namespace.equals(clusterWide.home()))));
        var selector = settings.coverage().match(listed -> Map.<String, String>of(), Coverage.ClusterWide::selector);
        return candidates.stream()
                .map(namespace -> selector.isEmpty()
                        ? release(children, namespace, next.secretName())
                        : Namespace.get(
                                        children.name(namespace, "namespace-read"),
                                        Output.of(namespace),
                                        children.options().build())
                                .metadata()
                                .apply(metadata -> {
                                    var labels = Optional.ofNullable(metadata.labels())
                                            .orElse(Map.of());
                                    return labels.entrySet().containsAll(selector.entrySet())
                                            ? release(children, namespace, next.secretName())
                                            : Output.of(namespace);
                                }))
                .toList();
    }

    /**
     * Releases one namespace's Secret and the ConfigMap that owns it ({@link PullSecrets#dockerConfigSecret}): both
     * read, so neither is deleted. Deleting the owner would have Kubernetes' garbage collector delete the Secret once it
     * has no other owner (kubernetes.io/docs/concepts/architecture/garbage-collection/, "Owners and dependents": a
     * dependent is deleted when all its owners are gone; pulumi-kubernetes v4.0.0 deletes in the foreground,
     * provider/pkg/await/await.go, deleteResource): ESO's owner reference (creationPolicy Owner, ESO v2.9.0
     * pkg/controllers/externalsecret/externalsecret_controller.go, applyOwnership) and Kyverno's rewrite of the copy
     * without the same-namespace owner (Kyverno v1.19.0, pkg/background/generate/clone.go) both come some seconds
     * after the update created the ExternalSecret or the copy policy, and the update's deletes come as soon as its
     * program is done: a race the Secret loses. Released, the ConfigMap stays (it holds no data; docs/operations.md,
     * "Switching", says when to delete it): the Secret lives as long as its controller keeps it.
     */
    private static Output<String> release(Children children, String namespace, String secretName) {
        var resourceName = children.name(namespace, "pull-secret");
        var owner = ConfigMap.get(
                resourceName + PullSecrets.OWNER_SUFFIX,
                Output.of(namespace + "/" + secretName + PullSecrets.OWNER_SUFFIX),
                children.options().build());
        var secret = Secret.get(
                resourceName,
                Output.of(namespace + "/" + secretName),
                children.options().build());
        return Output.tuple(owner.urn(), secret.urn()).applyValue(urns -> urns.t2);
    }
}
