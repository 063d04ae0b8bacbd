package registrypullaccess.access;

import com.pulumi.kubernetes.helm.v3.Release;
import com.pulumi.kubernetes.helm.v3.ReleaseArgs;
import com.pulumi.kubernetes.helm.v3.inputs.RepositoryOptsArgs;
import registrypullaccess.externalsecrets.ExternalSecretsOperator;
import registrypullaccess.kyverno.KyvernoPolicies;

import java.util.function.UnaryOperator;

/**
 * An operator the stack can install: a Helm release of its pinned chart, in a namespace of its own.
 *
 * @param release    the release name, which is also the name of its resource under the component
 * @param namespace  the namespace it is installed in, created with it
 * @param chart      the chart
 * @param version    the chart version, pinned
 * @param repository the chart repository
 */
record PinnedChart(String release, String namespace, String chart, String version, String repository) {

    static final PinnedChart KYVERNO = new PinnedChart(
            KyvernoPolicies.RELEASE,
            KyvernoPolicies.NAMESPACE,
            KyvernoPolicies.CHART,
            KyvernoPolicies.CHART_VERSION,
            KyvernoPolicies.CHART_REPOSITORY);

    static final PinnedChart EXTERNAL_SECRETS = new PinnedChart(
            ExternalSecretsOperator.CHART,
            ExternalSecretsOperator.NAMESPACE,
            ExternalSecretsOperator.CHART,
            ExternalSecretsOperator.CHART_VERSION,
            ExternalSecretsOperator.CHART_REPOSITORY);

    /** The release's id, {@code namespace/name}, as pulumi-kubernetes and Helm know it. */
    String id() {
        return namespace + "/" + release;
    }

    /**
     * The release. Everything of ours that the operator serves depends on it, so `pulumi destroy` removes those
     * objects while the operator still runs to release their finalizers. It stays installed after `pulumi
     * destroy`: uninstalling the chart would delete its CRDs, and with them every object of theirs in the
     * cluster, other teams' too.
     *
     * @param chartOptions how this chart installs its CRDs
     */
    Release declare(Children children, UnaryOperator<ReleaseArgs.Builder> chartOptions) {
        return new Release(
                children.name(release),
                chartOptions
                        .apply(ReleaseArgs.builder()
                                .name(release)
                                .chart(chart)
                                .version(version)
                                .repositoryOpts(RepositoryOptsArgs.builder()
                                        .repo(repository)
                                        .build())
                                .namespace(namespace)
                                .createNamespace(true))
                        .build(),
                children.options().retainOnDelete(true).build());
    }
}
