package registrypullaccess.access;

import com.pulumi.kubernetes.helm.v3.Release;
import com.pulumi.kubernetes.helm.v3.ReleaseArgs;
import com.pulumi.kubernetes.helm.v3.inputs.RepositoryOptsArgs;

import java.util.Map;

/**
 * The pinned External Secrets Operator: the API versions and fields this program declares are those of
 * this release's CRDs (checked in the tests against {@code src/test/resources/crd}).
 */
final class ExternalSecretsOperator {

    static final String VERSION = "v2.9.0";
    static final String CHART = "external-secrets";
    static final String CHART_VERSION = "2.9.0";
    static final String CHART_REPOSITORY = "https://charts.external-secrets.io";
    static final String NAMESPACE = "external-secrets";
    static final String GENERATOR_API_VERSION = "generators.external-secrets.io/v1alpha1";
    static final String GENERATOR_KIND = "GCRAccessToken";
    /** The only version the 2.x chart serves. */
    static final String EXTERNAL_SECRET_API_VERSION = "external-secrets.io/v1";

    static final String EXTERNAL_SECRET_KIND = "ExternalSecret";

    private ExternalSecretsOperator() {}

    /**
     * The operator and its CRDs. Everything of ours that ESO serves depends on it, so `pulumi destroy`
     * removes the ExternalSecrets while ESO still runs to release their finalizers. It stays installed after
     * `pulumi destroy`: uninstalling the chart would delete its CRDs, and with them every ExternalSecret in
     * the cluster, other teams' too.
     */
    static Release declare(Children children) {
        return new Release(
                children.name("external-secrets"),
                ReleaseArgs.builder()
                        .name(CHART)
                        .chart(CHART)
                        .version(CHART_VERSION)
                        .repositoryOpts(RepositoryOptsArgs.builder()
                                .repo(CHART_REPOSITORY)
                                .build())
                        .namespace(NAMESPACE)
                        .createNamespace(true)
                        .values(Map.of("installCRDs", true))
                        .build(),
                children.options().retainOnDelete(true).build());
    }
}
