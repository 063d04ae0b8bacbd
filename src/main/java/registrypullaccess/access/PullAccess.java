package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.kubernetes.core.v1.Secret;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.Resource;
import registrypullaccess.pullsecret.DockerConfigJson;
import registrypullaccess.pullsecret.RegistryCredential;
import registrypullaccess.pullsecret.SecretContent;
import registrypullaccess.registry.PullSource;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Pull access for one cluster: read access for a puller identity to every configured Google registry
 * ({@link ReaderGrants}) and, but for GKE nodes pulling as themselves, a pull secret in every namespace
 * that the namespace's ServiceAccounts list ({@link PullSecrets}, {@link ServiceAccountPatches}), or that pods
 * name themselves ({@code serviceAccounts: []}). The
 * secret holds a service account's rotating key ({@link PullerAccount}, {@link PullerKey}), or a
 * short-lived token that External Secrets Operator mints once in a home namespace and copies into listed
 * namespaces ({@link TokenMode}).
 * Cluster-wide, the secret is made once in a home namespace, from which Kyverno copies it into every selected
 * namespace ({@link ClusterWideCoverage}), as {@link NamespaceCoverage} places it.
 * Optionally a Job per namespace proves the pull ({@link PullCheckJob}).
 *
 * <p>Built to run for years next to other teams: the key is replaced on a fixed schedule, new key first;
 * pull-secret lists keep the entries other teams put there; grants only ever add a member.
 */
// The exported fields are read by reflection only (below), which Error Prone cannot see.
@SuppressWarnings("UnusedVariable")
public final class PullAccess extends ComponentResource {

    public static final String TYPE = "registry-pull-access:index:PullAccess";

    // The stack's outputs, typed, for programs in other languages: the SDK's component provider reads the
    // exported fields (PropertyValueSerializer.stateFromComponentResource, pulumi-java v1.36.1); null is unset.
    @Export(name = "serviceAccountEmail")
    private final Output<String> serviceAccountEmail;

    @Export(name = "pullSecretName")
    private final Output<String> pullSecretName;

    @Export(name = "imagePullSecrets")
    private final Output<List<Map<String, String>>> imagePullSecrets;

    @Export(name = "namespaces")
    private final Output<List<String>> namespaces;

    @Export(name = "homeNamespace")
    private final Output<String> homeNamespace;

    @Export(name = "registryHosts")
    private final Output<List<String>> registryHosts;

    @Export(name = "registries")
    private final Output<List<Map<String, String>>> registries;

    @Export(name = "keyPeriodStart")
    private final Output<String> keyPeriodStart;

    @Export(name = "nextKeyRotation")
    private final Output<String> nextKeyRotation;

    @Export(name = "externalSecretsOperator")
    private final Output<String> externalSecretsOperator;

    private final Map<String, Output<?>> outputs;

    /**
     * The one constructor, as the SDK's component provider requires (name, arguments, options): the stack
     * program passes settings it has read ({@link PullAccessArgs#of}), a program in another language the inputs.
     */
    public PullAccess(String name, PullAccessArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var settings = args.settings();
        var today = args.today();
        // Earlier versions declared the component under the stack only (App does): its children's old names.
        var children = Children.of(name, this, TYPE, options.getParent().isEmpty());
        // Before anything of this update, from what the last one deployed: refused, or released (SwitchGuard).
        var marker = DeploymentMarker.read(children);
        var shape = SwitchGuard.shape(settings);
        var checked = SwitchGuard.checked(children, settings, marker, shape);
        // Nothing else is registered before the check has passed, and nothing at all when it refuses (Children).
        var cleared = children.waitingFor(checked);
        // The entries of ours the last update listed that this one does not: its patches take them out.
        var former = marker.previous()
                .apply(last -> FormerEntries.labelsDeciding(cleared, settings, last, shape)
                        .applyValue(labels -> new FormerEntries(last, shape, labels)));
        this.outputs = Collections.unmodifiableMap(settings.puller()
                .match(
                        withKey -> withKey(cleared, settings, withKey, today, former),
                        withToken -> TokenMode.declare(cleared, settings, withToken, former),
                        withNodeIdentity -> withNodeIdentity(cleared, settings, withNodeIdentity)));
        // Recorded once everything the outputs come from is declared: a refused update (a preflight) records nothing.
        var declared = Output.all(outputs.values().stream()
                .map(output -> output.applyValue(value -> (Object) value))
                .toList());
        // With the entries of ours this update had to leave in the ServiceAccounts, for the next one to take out.
        var recorded = checked.apply(deployed -> Output.tuple(declared, former)
                .applyValue(done -> deployed.listing(
                        Stream.concat(deployed.pullSecrets().stream(), done.t2.kept().stream())
                                .toList(),
                        done.t2.keptIn())));
        marker.write(recorded);
        marker.writeReleases(shape.releases(), recorded);
        this.serviceAccountEmail = output("serviceAccountEmail");
        this.pullSecretName = output("pullSecretName");
        this.imagePullSecrets = output("imagePullSecrets");
        this.namespaces = output("namespaces");
        this.homeNamespace = output("homeNamespace");
        this.registryHosts = output("registryHosts");
        this.registries = output("registries");
        this.keyPeriodStart = output("keyPeriodStart");
        this.nextKeyRotation = output("nextKeyRotation");
        this.externalSecretsOperator = output("externalSecretsOperator");
        registerOutputs(outputs);
    }

    /** An output by name, typed as its field declares it; null when these settings have none. */
    @SuppressWarnings("unchecked")
    private <T> Output<T> output(String name) {
        return (Output<T>) outputs.get(name);
    }

    /** The stack outputs, in the order a user reads them. */
    public Map<String, Output<?>> outputs() {
        return outputs;
    }

    private static Map<String, Output<?>> withKey(
            Children children, Settings settings, Puller.Key puller, LocalDate today, Output<FormerEntries> former) {
        var rotation = KeyRotation.of(puller.keyRotationDays(), today);
        var pullSecret = puller.secret();
        // Only other registries: nothing in Google to pull from, so no service account, key or grant.
        var account =
                settings.sources().stream().anyMatch(source -> source.grant().isPresent())
                        ? Optional.of(PullerAccount.declare(
                                children,
                                settings.gcpProject(),
                                KeyCreationPreflight.checkedProject(settings.gcpProject()),
                                puller.serviceAccountId(),
                                puller.adopt(),
                                settings.protect()))
                        : Optional.<Account>empty();
        // Cluster-wide, Kyverno's copies follow a new key only after the update: the key before stays until the next.
        var keepPrevious = settings.coverage().match(listed -> false, clusterWide -> true);
        var key = account.map(created -> PullerKey.declare(children, created, rotation, keepPrevious));
        var grants = account.map(created ->
                        ReaderGrants.declare(children, settings.sources(), created.member(), settings.protect()))
                .orElse(List.of());
        // The key file is the password of Google's registries only; without them it is never asked for.
        var keyFileJson = key.map(created -> created.privateKey().applyValue(SecretContent::keyFileJson))
                .orElse(Output.of(""));
        var data = keyFileJson
                .applyValue(keyFile -> Map.of(
                        PullSecrets.DOCKER_CONFIG_JSON,
                        DockerConfigJson.encoded(SecretContent.credentials(
                                settings.sources(), RegistryCredential.jsonKey(keyFile, pullSecret.email())))))
                .asSecret();
        var secrets = children.siblings(
                false,
                settings.namespaces().stream()
                        .map(namespace -> List.of(namespace, "pull-secret"))
                        .toList());
        PullSecrets.InNamespace keySecret = (namespace, prerequisites) -> List.of(PullSecrets.dockerConfigSecret(
                secrets.name(namespace, "pull-secret"),
                pullSecret.name(),
                namespace,
                settings.registryHosts(),
                data,
                true,
                Children.adoptable(
                        secrets.options(Secret.class, namespace, "pull-secret"),
                        puller.adopt(),
                        namespace + "/" + pullSecret.name(),
                        "data",
                        "metadata"),
                children,
                prerequisites,
                Optional.empty()));
        // What the check proves changes with the key or with anything else in the Secret but its
        // passwords, which must not reach the Job's spec.
        var shape = SecretContent.shape(
                SecretContent.credentials(settings.sources(), RegistryCredential.jsonKey("", pullSecret.email())));
        var triggers = key.map(created -> created.name()
                        .applyValue(keyName -> Map.of(
                                PullCheckJob.CHECKED_KEY_ANNOTATION,
                                keyName,
                                PullCheckJob.CHECKED_SECRET_ANNOTATION,
                                shape)))
                .orElse(Output.of(Map.of(PullCheckJob.CHECKED_SECRET_ANNOTATION, shape)));
        // A namespace the stack creates waits for the account, and so for the preflight check.
        var covered = NamespaceCoverage.declare(
                children,
                settings,
                grants,
                new NamespaceCoverage.Secrets(
                        pullSecret,
                        puller.adopt(),
                        List.of(pullSecret.name()),
                        listed -> keySecret,
                        ClusterWideCoverage.withData(data, settings.registryHosts()),
                        account.<List<Resource>>map(List::of).orElse(List.of()),
                        triggers),
                former);

        var outputs = new LinkedHashMap<String, Output<?>>();
        account.ifPresent(created -> outputs.put("serviceAccountEmail", created.email()));
        outputs.put("pullSecretName", Output.of(pullSecret.name()));
        outputs.putAll(podOutputs(settings, List.of(pullSecret.name())));
        outputs.put(covered.getKey(), covered.getValue());
        outputs.putAll(registryOutputs(settings));
        if (key.isPresent()) {
            rotation.periodStart().ifPresent(start -> outputs.put("keyPeriodStart", Output.of(start.toString())));
            rotation.nextRotation().ifPresent(next -> outputs.put("nextKeyRotation", Output.of(next.toString())));
        }
        return outputs;
    }

    private static Map<String, Output<?>> withNodeIdentity(Children children, Settings settings, Puller.Node puller) {
        var grants = ReaderGrants.declare(
                children,
                settings.sources(),
                Output.of("serviceAccount:" + puller.nodeServiceAccount()),
                settings.protect());
        var nothingMore = new LinkedHashMap<String, List<Resource>>();
        settings.namespaces().forEach(namespace -> nothingMore.put(namespace, List.of()));
        settings.pullCheck()
                .ifPresent(check -> PullCheckJob.declareInEach(
                        children,
                        check,
                        nothingMore,
                        PullCheckJob.Pod.of(settings, List.of()),
                        // No Secret in node mode: the name the Jobs always had.
                        PullSecretSettings.DEFAULT_NAME,
                        List.copyOf(grants),
                        Output.of(Map.of())));

        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("serviceAccountEmail", Output.of(puller.nodeServiceAccount()));
        outputs.putAll(registryOutputs(settings));
        return outputs;
    }

    /**
     * Where pods name the pull secret themselves: what their spec lists, {@code imagePullSecrets: [{name: ...}]},
     * ready to paste (in token mode with other registries, two Secrets).
     */
    static Map<String, Output<?>> podOutputs(Settings settings, List<String> secretNames) {
        if (!settings.podsNameThePullSecret()) {
            return Map.of();
        }
        return Map.of(
                "imagePullSecrets",
                Output.of(secretNames.stream().map(name -> Map.of("name", name)).toList()));
    }

    /** Every way of pulling: the registries, as hosts and as the entries they were given. */
    static Map<String, Output<?>> registryOutputs(Settings settings) {
        var outputs = new LinkedHashMap<String, Output<?>>();
        outputs.put("registryHosts", Output.of(settings.registryHosts()));
        outputs.put(
                "registries",
                Output.of(
                        settings.sources().stream().map(PullSource::description).toList()));
        return outputs;
    }
}
