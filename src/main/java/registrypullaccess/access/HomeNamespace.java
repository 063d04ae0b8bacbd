package registrypullaccess.access;

import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;

/**
 * The namespace of the stack's own where the pull Secret is made once, to be copied into the covered namespaces:
 * by Kyverno cluster-wide, by External Secrets Operator into listed namespaces in token mode.
 */
final class HomeNamespace {

    private HomeNamespace() {}

    /** Retained on delete, like every namespace the stack creates: it may hold more than our Secret by then. */
    static Namespace declare(Children children, String home) {
        return new Namespace(
                children.name("home", "namespace"),
                NamespaceArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(home)
                                .labels(PullSecrets.LABELS)
                                .build())
                        .build(),
                children.options().retainOnDelete(true).build());
    }
}
