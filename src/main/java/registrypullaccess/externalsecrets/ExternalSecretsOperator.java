package registrypullaccess.externalsecrets;

/**
 * The pinned External Secrets Operator: the API versions and fields this program declares are those of
 * this release's CRDs (checked in the tests against {@code src/test/resources/crd}); no Pulumi here.
 */
public final class ExternalSecretsOperator {

    public static final String VERSION = "v2.9.0";
    public static final String CHART = "external-secrets";
    public static final String CHART_VERSION = "2.9.0";
    public static final String CHART_REPOSITORY = "https://charts.external-secrets.io";
    public static final String NAMESPACE = "external-secrets";
    public static final String GENERATOR_API_VERSION = "generators.external-secrets.io/v1alpha1";
    public static final String GENERATOR_KIND = "GCRAccessToken";
    /** The only version the 2.x chart serves. */
    public static final String EXTERNAL_SECRET_API_VERSION = "external-secrets.io/v1";

    public static final String EXTERNAL_SECRET_KIND = "ExternalSecret";
    /** The store that listed namespaces copy the token Secret through: cluster-wide, served to those alone. */
    public static final String STORE_KIND = "ClusterSecretStore";

    private ExternalSecretsOperator() {}
}
