package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.externalsecrets.ExternalSecretsOperator;
import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.pullsecret.DockerConfigJson;
import registrypullaccess.pullsecret.RegistryCredential;
import registrypullaccess.pullsecret.SecretContent;
import registrypullaccess.pullsecret.TokenTemplate;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.PullSource;
import registrypullaccess.settings.Puller;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where tokens are minted: once, in the home namespace, a minting ServiceAccount that Google trusts
 * ({@link TokenTrust}), External Secrets Operator's {@code GCRAccessToken} generator acting with its identity, and
 * an {@code ExternalSecret} that writes the token Secret from each new token, well before the last one expires.
 * The Secret belongs to the ExternalSecret: deleting that deletes the Secret. From there it is copied into every
 * covered namespace: by ESO into listed namespaces ({@link TokenCopies}), by Kyverno cluster-wide.
 *
 * <p>Other registries' passwords cannot come from the generator; they live in a second Secret of their own,
 * which Pulumi writes as in key mode, so no password ever appears in an ExternalSecret (which any
 * {@code view} user can read) or in a template. The ServiceAccounts list both.
 */
final class TokenPullSecrets {

    /**
     * Tells ESO's generator which Google service account the minting ServiceAccount acts as (ESO v2.9.0,
     * providers/v1/gcp/secretmanager/workload_identity.go, gcpSAAnnotation); GKE's metadata server reads it too, but
     * ESO does not need that server.
     */
    static final String GKE_SERVICE_ACCOUNT_ANNOTATION = "iam.gke.io/gcp-service-account";

    /**
     * On every token ExternalSecret (the home one, and each listed namespace's copy): a digest of who mints. ESO
     * v2.9.0 does not watch generators, but syncs an ExternalSecret at once when its labels or annotations change
     * ({@code pkg/controllers/util/util.go}, {@code GetResourceVersion}/{@code HashMeta}, compared in
     * {@code pkg/controllers/externalsecret/externalsecret_controller.go}, {@code shouldRefreshPeriodic}), so a new
     * identity (another {@code serviceAccountId} or project, GKE and OIDC swapped, new {@code oidcJwks}) mints during
     * the update, not at the next refresh. Not safe under the same name, which {@link IdentityChange} refuses; it
     * serves where the refusal cannot see the change (a record kept before it) and new keys of the same issuer.
     */
    static final String IDENTITY_ANNOTATION = "registry-pull-access/token-identity";

    /** The label Kyverno puts on a Secret it copies from, and looks for when the Secret changes. */
    static final String KYVERNO_CLONE_SOURCE_LABEL = "generate.kyverno.io/clone-source";

    private final Children children;
    private final Settings settings;
    private final Puller.Token puller;
    private final Account account;
    private final TokenTrust trust;
    private final List<Resource> operator;

    TokenPullSecrets(
            Children children,
            Settings settings,
            Puller.Token puller,
            Account account,
            TokenTrust trust,
            List<Resource> operator) {
        this.children = children;
        this.settings = settings;
        this.puller = puller;
        this.account = account;
        this.trust = trust;
        this.operator = operator;
    }

    /** The Secrets a ServiceAccount lists: the token Secret, and the other registries' if there are any. */
    List<String> secretNames() {
        return settings.pullSecretNames();
    }

    /**
     * The token Secret of the home namespace, which Kyverno copies into every covered namespace. The template
     * carries the label Kyverno marks its sources with, so that the Secret has it from ESO's first write: Kyverno
     * acts on a change of a source only when the old source has it, and adds it itself only when it first clones
     * (Kyverno v1.19.0, pkg/webhooks/resource/generation/handler.go, handleNonTrigger); without it, copies would
     * follow a new token only at Kyverno's hourly rescan. (ESO would keep the label once Kyverno added it: it
     * removes only labels it manages, ESO v2.9.0 externalsecret_controller_template.go, setMetadata.)
     * Kyverno copies a new token at once, so the source is refreshed every {@code tokenRefreshMinutes}.
     */
    Resource declareCloneSource(String home, List<Resource> prerequisites) {
        return declareSource(home, prerequisites, Map.of(KYVERNO_CLONE_SOURCE_LABEL, ""), puller.refreshMinutes() * 60);
    }

    /**
     * The minter, the generator and the ExternalSecret that keep the token Secret of the home namespace fresh.
     *
     * @param refreshSeconds how often ESO mints a new token
     * @return the ExternalSecret, which writes the Secret
     */
    Resource declareSource(
            String home, List<Resource> prerequisites, Map<String, String> moreLabels, int refreshSeconds) {
        var name = puller.secret().name();
        var minter = declareMinter(home, prerequisites);
        var generatorPrerequisites = new ArrayList<>(prerequisites);
        generatorPrerequisites.add(minter);
        generatorPrerequisites.add(trust.grant());
        generatorPrerequisites.addAll(operator);
        var generator = new KubernetesObject(
                children.name(home, "token-generator"),
                ExternalSecretsOperator.GENERATOR_API_VERSION,
                ExternalSecretsOperator.GENERATOR_KIND,
                metadata(name, home),
                trust.generatorAuth()
                        .applyValue(auth -> Map.<String, Object>of("projectID", settings.gcpProject(), "auth", auth)),
                children.options()
                        .dependsOn(children.after(generatorPrerequisites))
                        .build());
        var spec = new LinkedHashMap<String, Object>();
        spec.put("refreshInterval", goDuration(refreshSeconds));
        spec.put("target", target(moreLabels, Optional.of(tokenDockerConfigTemplate())));
        spec.put(
                "dataFrom",
                List.of(Map.of(
                        "sourceRef",
                        Map.of(
                                "generatorRef",
                                Map.of(
                                        "apiVersion", ExternalSecretsOperator.GENERATOR_API_VERSION,
                                        "kind", ExternalSecretsOperator.GENERATOR_KIND,
                                        "name", name)))));
        return new KubernetesObject(
                children.name(home, "external-secret"),
                ExternalSecretsOperator.EXTERNAL_SECRET_API_VERSION,
                ExternalSecretsOperator.EXTERNAL_SECRET_KIND,
                externalSecretMetadata(name, home),
                Output.of(spec),
                children.options().dependsOn(children.after(List.of(generator))).build());
    }

    /**
     * The wait, during `pulumi up`, until ESO has written a token into the namespace's token Secret
     * ({@link TokenReadyJob}), run with {@code verifyHelperImage}, with or without the pull check: a cluster that
     * cannot reach Docker Hub needs a mirror for it either way.
     *
     * @param writer the ExternalSecret that writes it
     */
    Resource awaitToken(String namespace, Resource writer) {
        return TokenReadyJob.declare(
                children, namespace, puller.secret().name(), settings.helperImage(), List.of(writer));
    }

    /** In a listed namespace with other registries: the Secret of their passwords, written by Pulumi. */
    Optional<Resource> declareOtherRegistries(String namespace, List<Resource> prerequisites) {
        if (otherRegistries().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(PullSecrets.dockerConfigSecret(
                children.name(namespace, "other-registries-secret"),
                puller.secret().otherRegistriesName(),
                namespace,
                hosts(otherRegistries()),
                otherRegistriesData(),
                true,
                children.options(),
                children,
                prerequisites,
                Optional.empty()));
    }

    /**
     * What the pull Secrets hold, but for passwords: for the pull check's trigger. Other registries' hosts and
     * usernames count, so that changing them runs the check again, as in key mode.
     */
    Map<String, RegistryCredential> checkedCredentials() {
        return SecretContent.credentials(
                settings.sources(),
                new RegistryCredential(
                        TokenTemplate.USERNAME, "", puller.secret().email()));
    }

    /**
     * The {@code target} of an ExternalSecret that writes the token Secret: type, labels and the hosts annotation
     * of a pull secret, owned by the ExternalSecret.
     *
     * @param data the template of the Secret's data; none to write the data as read (a copy)
     */
    Map<String, Object> target(Map<String, String> moreLabels, Optional<Map<String, String>> data) {
        var labels = new TreeMap<>(PullSecrets.LABELS);
        labels.putAll(moreLabels);
        var template = new LinkedHashMap<String, Object>();
        template.put("type", PullSecrets.DOCKER_CONFIG_JSON_TYPE);
        template.put("engineVersion", "v2");
        template.put("mergePolicy", "Replace");
        template.put(
                "metadata",
                Map.of(
                        "labels",
                        labels,
                        "annotations",
                        Map.of(PullSecrets.HOSTS_ANNOTATION, String.join(",", hosts(googleRegistries())))));
        data.ifPresent(templates -> template.put("data", templates));
        return Map.of(
                "name",
                puller.secret().name(),
                // Owner: the Secret is the ExternalSecret's, and goes with it.
                "creationPolicy",
                "Owner",
                // Kept as it is when the source has nothing: a token that is still valid beats no Secret.
                "deletionPolicy",
                "Retain",
                "template",
                template);
    }

    /** A Go duration as ESO reads it, e.g. {@code 12m30s}. */
    static String goDuration(int seconds) {
        return seconds / 60 + "m" + seconds % 60 + "s";
    }

    static Map<String, Object> metadata(String name, String namespace) {
        return Map.of("name", name, "namespace", namespace, "labels", PullSecrets.LABELS);
    }

    /** An ExternalSecret's metadata: with {@link #IDENTITY_ANNOTATION}, so that it syncs when the minter changes. */
    Map<String, Object> externalSecretMetadata(String name, String namespace) {
        var metadata = new LinkedHashMap<>(metadata(name, namespace));
        metadata.put(
                "annotations",
                Map.of(
                        IDENTITY_ANNOTATION,
                        KyvernoPolicies.digest(Map.of(
                                "project",
                                settings.gcpProject(),
                                "serviceAccountId",
                                puller.serviceAccountId(),
                                "identity",
                                puller.identity().toString()))));
        return metadata;
    }

    private Map<String, String> tokenDockerConfigTemplate() {
        return Map.of(
                PullSecrets.DOCKER_CONFIG_JSON,
                TokenTemplate.dockerConfigJson(
                        hosts(googleRegistries()), puller.secret().email()));
    }

    private Resource declareMinter(String namespace, List<Resource> prerequisites) {
        var annotations = puller.identity()
                .match(
                        gke -> account.email().applyValue(email -> Map.of(GKE_SERVICE_ACCOUNT_ANNOTATION, email)),
                        oidc -> Output.of(Map.<String, String>of()));
        return new ServiceAccount(
                children.name(namespace, "token-minter"),
                ServiceAccountArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(puller.secret().minterName())
                                .namespace(namespace)
                                .labels(PullSecrets.LABELS)
                                .annotations(annotations)
                                .build())
                        // No pod runs as it: ESO asks the API server for its tokens.
                        .automountServiceAccountToken(false)
                        .build(),
                children.options().dependsOn(children.after(prerequisites)).build());
    }

    private Output<Map<String, String>> otherRegistriesData() {
        var credentials = new TreeMap<String, RegistryCredential>();
        otherRegistries().forEach(registry -> credentials.put(registry.host(), registry.credential()));
        return Output.ofSecret(Map.of(PullSecrets.DOCKER_CONFIG_JSON, DockerConfigJson.encoded(credentials)));
    }

    private List<PullSource> googleRegistries() {
        return settings.sources().stream()
                .filter(source -> !(source instanceof OtherRegistry))
                .toList();
    }

    private List<OtherRegistry> otherRegistries() {
        return settings.sources().stream()
                .filter(OtherRegistry.class::isInstance)
                .map(OtherRegistry.class::cast)
                .toList();
    }

    private static List<String> hosts(List<? extends PullSource> sources) {
        return sources.stream().map(PullSource::host).distinct().sorted().toList();
    }
}
