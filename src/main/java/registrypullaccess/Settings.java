package registrypullaccess;

import registrypullaccess.kyverno.KyvernoPolicies;
import registrypullaccess.registry.ArtifactRepository;
import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.ProjectWideReader;
import registrypullaccess.registry.PullSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Everything one stack deploys, read once from the stack configuration and validated, so that bad input
 * fails before any resource is declared and nothing is half-created. Its rules hold for every value:
 * one that breaks them cannot be constructed.
 *
 * @param gcpProject      the project the service account is created in ({@code gcp:project})
 * @param sources         the registries to pull from, in configuration order
 * @param coverage        the namespaces that get pull access: listed, or cluster-wide through Kyverno
 * @param serviceAccounts the Kubernetes ServiceAccounts, in every namespace, that pull
 * @param puller          the way the cluster pulls, with that way's own settings
 * @param protect         whether the service account and grants are protected from deletion
 * @param pullCheck       the image every namespace pulls during `pulumi up` to prove access, if any
 */
public record Settings(
        String gcpProject,
        List<PullSource> sources,
        Coverage coverage,
        List<String> serviceAccounts,
        Puller puller,
        boolean protect,
        Optional<PullCheck> pullCheck) {

    /** The Pulumi project name, which is also the namespace of this program's config keys. */
    public static final String PROJECT = "registry-pull-access";

    public static final List<String> DEFAULT_NAMESPACES = List.of("default");
    public static final List<String> DEFAULT_SERVICE_ACCOUNTS = List.of("default");

    public Settings {
        sources = List.copyOf(sources);
        Objects.requireNonNull(coverage, "coverage");
        serviceAccounts = List.copyOf(serviceAccounts);
        Objects.requireNonNull(puller, "puller");
        Objects.requireNonNull(pullCheck, "pullCheck");
        var problems = new ArrayList<>(projectProblems(gcpProject));
        problems.addAll(sourceProblems(sources));
        problems.addAll(KubernetesNames.listProblems("serviceAccounts", serviceAccounts,
                KubernetesNames.RFC_1123_SUBDOMAIN, KubernetesNames.SERVICE_ACCOUNT, DEFAULT_SERVICE_ACCOUNTS));
        problems.addAll(pullerProblems(sources, puller));
        problems.addAll(coverageProblems(coverage, puller, pullCheck));
        if (pullCheck.isPresent()) {
            problems.addAll(pullCheckProblems(sources, pullCheck.get()));
        }
        Problems.require(problems);
    }

    /** Settings for the namespaces the stack lists, as before cluster-wide coverage existed. */
    public Settings(String gcpProject, List<PullSource> sources, List<String> namespaces, List<String> serviceAccounts,
                    Puller puller, boolean protect, Optional<PullCheck> pullCheck) {
        this(gcpProject, sources, new Coverage.Listed(namespaces), serviceAccounts, puller, protect, pullCheck);
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
        var warnings = new ArrayList<String>();
        sources.stream().filter(ProjectWideReader.class::isInstance).map(ProjectWideReader.class::cast)
                .forEach(source -> warnings.add("\"" + source.entry() + "\" grants " + source.grant().orElseThrow()
                        .role() + " on the whole project " + source.project() + ": every repository in it, present "
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

    /** A key of this program, as `pulumi config` names it. */
    public static String key(String name) {
        return PROJECT + ":" + name;
    }

    static List<String> projectProblems(String gcpProject) {
        if (gcpProject.isBlank()) {
            return List.of("gcp:project is not set: the project to create the service account in. "
                    + "Set it with `pulumi config set gcp:project YOUR_PROJECT_ID`.");
        }
        if (!ArtifactRepository.isProjectId(gcpProject)) {
            return List.of("gcp:project: \"" + gcpProject + "\" is not a project id (6 to 30 lowercase letters, "
                    + "digits and '-', starting with a letter); `gcloud projects list` shows yours.");
        }
        return List.of();
    }

    /** At least one registry, and no two entries that add nothing over each other. */
    static List<String> sourceProblems(List<PullSource> sources) {
        var problems = new Problems();
        problems.when(sources.isEmpty(), () -> key("registries") + " is empty: list at least one registry, e.g. "
                + "`pulumi config set --path 'registries[0]' eu.gcr.io`.");
        var seen = new HashMap<Object, PullSource>();
        for (var source : sources) {
            Object identity = source instanceof OtherRegistry ? source.host() : List.of(source.host(), source.grant());
            var earlier = seen.putIfAbsent(identity, source);
            problems.when(earlier != null, () -> "\"" + source.entry() + "\" repeats \"" + earlier.entry() + "\": "
                    + "both give " + source.host() + source.grant().map(grant -> " with " + grant.role() + " on "
                    + grant.resource()).orElse(" a password") + "; list it once.");
        }
        return problems.list();
    }

    static List<String> pullerProblems(List<PullSource> sources, Puller puller) {
        if (!(puller instanceof Puller.WithNodeIdentity)) {
            return List.of();
        }
        return sources.stream().filter(OtherRegistry.class::isInstance).findFirst().map(other -> List.of(
                key("keyless") + " cannot be combined with " + key("otherRegistries") + " (\"" + other.entry()
                        + "\"): keyless nodes pull with their Google identity, which other registries do not "
                        + "accept. Remove otherRegistries, or turn keyless mode off.")).orElse(List.of());
    }

    /** Cluster-wide coverage copies a pull Secret; it needs one, and creates no namespace but its home. */
    static List<String> coverageProblems(Coverage coverage, Puller puller, Optional<PullCheck> pullCheck) {
        if (!(coverage instanceof Coverage.ClusterWide wide)) {
            return List.of();
        }
        var clusterWide = key("allNamespaces") + " / " + key("namespaceSelector");
        return puller.match(withKey -> {
            var problems = new Problems();
            var checkNamespace = wide.checkNamespace();
            problems.when(pullCheck.isPresent() && (checkNamespace.length() > 63 || wide.excluded()
                    .contains(checkNamespace)), () -> key("verifyImage") + " checks the pull in a namespace the "
                    + "stack creates, \"" + checkNamespace + "\" (the home namespace and \"-check\"), which must be "
                    + "at most 63 characters and not in " + key("excludeNamespaces") + ". Shorten "
                    + key("homeNamespace") + ", or take that name out of excludeNamespaces.");
            problems.when(withKey.pullSecret().createNamespaces(), () -> key("createNamespaces") + " cannot be "
                    + "combined with " + clusterWide + ": cluster-wide coverage reaches namespaces whoever creates "
                    + "them, and the stack creates only its home namespace. Remove createNamespaces.");
            problems.when(withKey.adopt(), () -> key("adopt") + " cannot be combined with " + clusterWide + ": "
                    + "it imports hand-made Secrets in listed namespaces, and cluster-wide copies belong to Kyverno "
                    + "(which takes over a Secret of the same name in a covered namespace). Adopt with the namespaces "
                    + "listed first, or remove adopt.");
            return problems.list();
        }, withNodeIdentity -> List.of(key("keyless") + " cannot be combined with " + clusterWide + ": keyless "
                + "nodes pull with their own identity, so there is no pull Secret to copy into namespaces and none "
                + "is needed (every namespace already pulls). Remove allNamespaces and namespaceSelector."));
    }

    static List<String> pullCheckProblems(List<PullSource> sources, PullCheck check) {
        var server = check.server();
        if (sources.stream().anyMatch(source -> source.host().equals(server))) {
            return List.of();
        }
        return List.of(key("verifyImage") + ": \"" + check.image() + "\" is pulled from " + server + ", which is "
                + "not a configured registry; pick an image from "
                + sources.stream().map(PullSource::host).distinct().sorted().toList() + ".");
    }
}
