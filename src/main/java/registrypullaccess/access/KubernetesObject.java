package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.ResourceArgs;

import java.util.Map;

/**
 * A Kubernetes object of a kind the pinned provider SDK has no class for: an operator's custom resource.
 * The provider takes the type token {@code kubernetes:GROUP/VERSION:KIND} for these, and the object's
 * fields as inputs; the fields are checked against the pinned operator's CRD schema in the tests.
 */
final class KubernetesObject extends CustomResource {

    /**
     * @param apiVersion e.g. {@code kyverno.io/v1}
     * @param kind       e.g. {@code ClusterPolicy}
     * @param metadata   the object's metadata (name, namespace, labels)
     * @param spec       the object's spec, as plain maps, lists and strings
     */
    KubernetesObject(
            String name,
            String apiVersion,
            String kind,
            Map<String, Object> metadata,
            Output<Map<String, Object>> spec,
            CustomResourceOptions options) {
        this(name, apiVersion, kind, Output.of(metadata), spec, options);
    }

    /** With metadata that waits for other resources' outputs. */
    KubernetesObject(
            String name,
            String apiVersion,
            String kind,
            Output<Map<String, Object>> metadata,
            Output<Map<String, Object>> spec,
            CustomResourceOptions options) {
        super(typeToken(apiVersion, kind), name, new Args(apiVersion, kind, metadata, spec), options);
    }

    static String typeToken(String apiVersion, String kind) {
        return "kubernetes:" + apiVersion + ":" + kind;
    }

    // The SDK reads the fields through their @Import annotations, by reflection.
    @SuppressWarnings("UnusedVariable")
    private static final class Args extends ResourceArgs {
        @Import(name = "apiVersion", required = true)
        private final Output<String> apiVersion;

        @Import(name = "kind", required = true)
        private final Output<String> kind;

        @Import(name = "metadata", required = true)
        private final Output<Map<String, Object>> metadata;

        @Import(name = "spec", required = true)
        private final Output<Map<String, Object>> spec;

        Args(String apiVersion, String kind, Output<Map<String, Object>> metadata, Output<Map<String, Object>> spec) {
            this.apiVersion = Output.of(apiVersion);
            this.kind = Output.of(kind);
            this.metadata = metadata;
            this.spec = spec;
        }
    }
}
