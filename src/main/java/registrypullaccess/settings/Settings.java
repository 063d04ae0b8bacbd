package registrypullaccess.settings;

import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.registry.GoogleHosts;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectWideReader;
import registrypullaccess.registry.PullSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static registrypullaccess.settings.ConfigKeys.key;

/**
 * Everything one stack deploys, read once from the stack configuration and validated, so that bad input
 * fails before any resource is declared and nothing is half-created. Its rules hold for every value:
 * one that breaks them cannot be constructed.
 *
 * @param gcpProject      the project the service account is created in ({@code gcp:project})
 * @param sources         the registries to pull from, in configuration order
 * @param coverage        the namespaces that get pull access: listed, or cluster-wide through Kyverno
 * @param pullSecretUse   how pods use the pull secret: through ServiceAccounts the stack patches, or by naming it
 * @param puller          the way the cluster pulls, with that way's own settings
 * @param protect         whether the service account and grants are protected from deletion
 * @param pullCheck       the image every namespace pulls during `pulumi up` to prove access, if any
 * @param deprecations    configuration that still works but is written the old way
 * @param helperImage     {@code verifyHelperImage}: the image with a static busybox the pull check's and the token-ready
 *                        Job's pods run, set or not with the pull check
 */
public record Settings(
        String gcpProject,
        List<PullSource> sources,
        Coverage coverage,
        PullSecretUse pullSecretUse,
        Puller puller,
        boolean protect,
        Optional<PullCheck> pullCheck,
        List<String> deprecations,
        String helperImage) {

    public Settings {
        sources = List.copyOf(sources);
        Objects.requireNonNull(coverage, "coverage");
        Objects.requireNonNull(pullSecretUse, "pullSecretUse");
        Objects.requireNonNull(puller, "puller");
        Objects.requireNonNull(pullCheck, "pullCheck");
        deprecations = List.copyOf(deprecations);
        var problems =
                new ArrayList<>(GoogleHosts.projectProblems(gcpProject, SettingsRules.needsProject(sources, puller)));
        problems.addAll(PullCheck.helperProblems(helperImage));
        problems.addAll(SettingsRules.problems(
                sources,
                true,
                Optional.of(coverage),
                Optional.of(pullSecretUse),
                Optional.of(puller),
                pullCheck,
                Set.of()));
        Problems.require(problems);
    }

    /** Settings with the pull check's helper image, or the default one without a check. */
    public Settings(
            String gcpProject,
            List<PullSource> sources,
            Coverage coverage,
            PullSecretUse pullSecretUse,
            Puller puller,
            boolean protect,
            Optional<PullCheck> pullCheck,
            List<String> deprecations) {
        this(
                gcpProject,
                sources,
                coverage,
                pullSecretUse,
                puller,
                protect,
                pullCheck,
                deprecations,
                pullCheck.map(PullCheck::helperImage).orElse(PullCheck.DEFAULT_HELPER_IMAGE));
    }

    /** Settings for the namespaces the stack lists; no ServiceAccounts: pods name the pull secret. */
    public Settings(
            String gcpProject,
            List<PullSource> sources,
            List<String> namespaces,
            List<String> serviceAccounts,
            Puller puller,
            boolean protect,
            Optional<PullCheck> pullCheck,
            List<String> deprecations) {
        this(
                gcpProject,
                sources,
                new Coverage.Listed(namespaces),
                PullSecretUse.of(serviceAccounts),
                puller,
                protect,
                pullCheck,
                deprecations);
    }

    /** The ServiceAccounts, in every namespace, that list the pull secret; none when pods name it themselves. */
    public List<String> serviceAccounts() {
        return pullSecretUse.match(PullSecretUse.ThroughServiceAccounts::serviceAccounts, namedByPods -> List.of());
    }

    /** Whether pods name the pull secret in their own spec ({@code serviceAccounts: []}). */
    public boolean podsNameThePullSecret() {
        return pullSecretUse instanceof PullSecretUse.NamedByPods;
    }

    /** {@code podsNameNewSecret}: the Secret pods name beside the one they named before, ahead of a rename. */
    public Optional<String> podsNameNewSecret() {
        return pullSecretUse.match(through -> Optional.empty(), PullSecretUse.NamedByPods::newSecretName);
    }

    /** The ServiceAccounts to take the pull secret out of, on the way from patched ServiceAccounts to pods naming it. */
    public List<String> detachServiceAccounts() {
        return pullSecretUse.match(through -> List.of(), PullSecretUse.NamedByPods::detachServiceAccounts);
    }

    /**
     * The ServiceAccounts whose {@code imagePullSecrets} the stack patches, and whether our entry goes in or out:
     * in, unless detached; where pods name the secret, out of those an earlier configuration listed it in, since
     * a patch (or a Kyverno mutation) that merely left the program would leave our entry behind.
     *
     * @param serviceAccounts the ServiceAccounts to patch in every covered namespace; none: nothing to patch
     * @param add             whether our entry is listed (true) or taken out (false)
     */
    public record ServiceAccountEntries(List<String> serviceAccounts, boolean add) {

        public ServiceAccountEntries {
            serviceAccounts = List.copyOf(serviceAccounts);
        }
    }

    /** The ServiceAccount entries to add or remove, for listed and cluster-wide coverage alike. */
    public ServiceAccountEntries serviceAccountEntries() {
        if (podsNameThePullSecret()) {
            return new ServiceAccountEntries(detachServiceAccounts(), false);
        }
        var detach = puller.pullSecret().map(PullSecretSettings::detach).orElse(false);
        return new ServiceAccountEntries(serviceAccounts(), !detach);
    }

    /**
     * The Secrets the ServiceAccounts list, or pods name: the pull secret, and in token mode with other registries the
     * Secret of their passwords beside it (a key's Secret holds them all); none with node credentials.
     */
    public List<String> pullSecretNames() {
        return puller.match(
                withKey -> List.of(withKey.secret().name()),
                withToken -> sources.stream().anyMatch(OtherRegistry.class::isInstance)
                        ? List.of(withToken.secret().name(), withToken.secret().otherRegistriesName())
                        : List.of(withToken.secret().name()),
                node -> List.<String>of());
    }

    /** The namespaces the stack lists; none with cluster-wide coverage, where Kyverno finds them in the cluster. */
    public List<String> namespaces() {
        return coverage.match(Coverage.Listed::namespaces, clusterWide -> List.of());
    }

    /** The registry hosts written to the pull secret, each once, sorted. */
    public List<String> registryHosts() {
        var hosts = new TreeSet<String>();
        sources.forEach(source -> hosts.add(source.host()));
        return List.copyOf(hosts);
    }

    /** What a reviewer should know before applying these settings. */
    public List<String> warnings() {
        var warnings = new ArrayList<>(deprecations);
        sources.stream()
                .filter(ProjectWideReader.class::isInstance)
                .map(ProjectWideReader.class::cast)
                .forEach(source -> warnings.add("\"" + source.entry() + "\" grants "
                        + source.grant().orElseThrow().role() + " on the whole project " + source.project()
                        + ": every repository in it, present "
                        + "and future, becomes readable. List the repositories under registries instead if you can."));
        if (coverage instanceof Coverage.ClusterWide clusterWide && !clusterWide.installKyverno()) {
            warnings.add("Cluster-wide coverage expects Kyverno " + KyvernoPolicies.KYVERNO_VERSION
                    + " (Helm chart " + KyvernoPolicies.CHART_VERSION
                    + ") to run in the cluster already: older versions leave the copies behind when the policy is "
                    + "deleted. Set " + key("installKyverno") + " true to have the stack install it.");
        }
        return warnings;
    }

    /**
     * Reads and validates the stack configuration.
     *
     * @throws InvalidSettingsException naming every bad key, its value and the rule it breaks
     */
    public static Settings fromConfig(ConfigSource config) {
        return new SettingsReader(config).read();
    }
}
