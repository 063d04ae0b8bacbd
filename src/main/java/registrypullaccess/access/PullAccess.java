package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import registrypullaccess.Puller;
import registrypullaccess.Settings;
import registrypullaccess.registry.DockerConfigJson;
import registrypullaccess.registry.KeyRotation;
import registrypullaccess.registry.PullSecretContent;
import registrypullaccess.registry.PullSource;
import registrypullaccess.registry.RegistryCredential;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pull access for one cluster: read access for a puller identity to every configured Google registry
 * ({@link ReaderGrants}) and, in key mode, a service account with a rotating key ({@link PullerKey}) in a
 * pull secret in every namespace that the namespace's ServiceAccounts list ({@link PullSecrets},
 * {@link ServiceAccountPatches}), or, cluster-wide, once in a home namespace from which Kyverno copies it
 * into every selected namespace ({@link ClusterWideCoverage}); optionally a Job per namespace that proves the
 * pull ({@link PullCheckJob}).
 *
 * <p>Built to run for years next to other teams: the key is replaced on a fixed schedule, new key first;
 * pull-secret lists keep the entries other teams put there; grants only ever add a member.
 */
public final class PullAccess extends ComponentResource {

    public static final String TYPE = "registry-pull-access:index:PullAccess";

    private final Map<String, Output<?>> outputs;

    /**
     * @param today the date that picks the key's rotation period; passed in so that a run is a pure
     *              function of its inputs
     */
    public PullAccess(String name, Settings settings, LocalDate today, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var children = new Children(name, this);
        this.outputs = Collections.unmodifiableMap(settings.puller().match(
                withKey -> withKey(children, settings, withKey, today),
                withNodeIdentity -> withNodeIdentity(children, settings, withNodeIdentity)));
        registerOutputs(outputs);
    }

    /** The stack outputs, in the order a user reads them. */
    public Map<String, Output<?>> outputs() {
        return outputs;
    }

    private static Map<String, Output<?>> withKey(Children children, Settings settings, Puller.WithKey puller,
                                                  LocalDate today) {
        var rotation = KeyRotation.of(puller.keyRotationDays(), today);
        var key = PullerKey.declare(children, settings.gcpProject(), puller, rotation, settings.protect());
        var grants = ReaderGrants.declare(children, settings.sources(), key.account().member(), settings.protect());
        var pullSecret = puller.pullSecret();
        var data = key.key().privateKey().applyValue(privateKey -> Map.of(PullSecrets.DOCKER_CONFIG_JSON,
                DockerConfigJson.encoded(PullSecretContent.credentials(settings.sources(),
                        RegistryCredential.jsonKey(PullSecretContent.keyFileJson(privateKey), pullSecret.email())))))
                .asSecret();
        // What the check proves changes with the key or with anything else in the Secret but its
        // passwords, which must not reach the Job's spec.
        var shape = PullSecretContent.shape(PullSecretContent.credentials(settings.sources(),
                RegistryCredential.jsonKey("", pullSecret.email())));
        var triggers = key.key().name().applyValue(keyName -> Map.of(
                PullCheckJob.CHECKED_KEY_ANNOTATION, keyName, PullCheckJob.CHECKED_SECRET_ANNOTATION, shape));
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", key.account().email());
        outputs.put("pullSecretName", Output.of(pullSecret.name()));
        var covered = settings.coverage().match(listed -> {
            var patchesByNamespace = PullSecrets.declare(children, settings, pullSecret, puller.adopt(), data, grants);
            settings.pullCheck().ifPresent(check -> patchesByNamespace.forEach((namespace, patches) -> {
                var prerequisites = new ArrayList<>(grants);
                prerequisites.addAll(patches);
                PullCheckJob.declare(children, check, namespace, settings.serviceAccounts().get(0), prerequisites,
                        triggers);
            }));
            return Map.<String, Output<?>>entry("namespaces", Output.of(settings.namespaces()));
        }, clusterWide -> {
            var declared = ClusterWideCoverage.declare(children, clusterWide, settings.serviceAccounts(),
                    pullSecret.name(), pullSecret.detach(), ClusterWideCoverage.withData(data,
                            settings.registryHosts()), grants);
            // Detached, nothing is copied or listed any more: a check could only fail.
            settings.pullCheck().filter(check -> !pullSecret.detach()).ifPresent(check ->
                    ClusterWideCoverage.declarePullCheck(children, clusterWide, check,
                            settings.serviceAccounts().get(0), declared, grants, triggers));
            return Map.<String, Output<?>>entry("homeNamespace", Output.of(clusterWide.home()));
        });
        outputs.put(covered.getKey(), covered.getValue());
        outputs.putAll(registryOutputs(settings));
        rotation.periodStart().ifPresent(start -> outputs.put("keyPeriodStart", Output.of(start.toString())));
        rotation.nextRotation().ifPresent(next -> outputs.put("nextKeyRotation", Output.of(next.toString())));
        return outputs;
    }

    private static Map<String, Output<?>> withNodeIdentity(Children children, Settings settings,
                                                           Puller.WithNodeIdentity puller) {
        var grants = ReaderGrants.declare(children, settings.sources(),
                Output.of("serviceAccount:" + puller.nodeServiceAccount()), settings.protect());
        settings.pullCheck().ifPresent(check -> settings.namespaces().forEach(namespace -> PullCheckJob.declare(
                children, check, namespace, settings.serviceAccounts().get(0), List.<Resource>copyOf(grants),
                Output.of(Map.of()))));

        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", Output.of(puller.nodeServiceAccount()));
        outputs.putAll(registryOutputs(settings));
        return outputs;
    }

    private static Map<String, Output<?>> registryOutputs(Settings settings) {
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("registryHosts", Output.of(settings.registryHosts()));
        outputs.put("registries", Output.of(settings.sources().stream().map(PullSource::description).toList()));
        return outputs;
    }
}
