package registrypullaccess.kyverno;

import java.util.List;
import java.util.Map;

/**
 * The RBAC that Kyverno's controllers need to carry out the policies of {@link KyvernoPolicies}, as plain values;
 * Kyverno {@value KyvernoPolicies#KYVERNO_VERSION} checks it when a policy is admitted and refuses a policy it could
 * not carry out.
 */
public final class KyvernoRoles {

    private KyvernoRoles() {}

    /** Labels that aggregate a ClusterRole into Kyverno's controllers' roles (v1.19.0 charts/kyverno/templates). */
    public static final Map<String, String> BACKGROUND_CONTROLLER_AGGREGATION =
            Map.of("rbac.kyverno.io/aggregate-to-background-controller", "true");

    public static final Map<String, String> ADMISSION_CONTROLLER_AGGREGATION =
            Map.of("rbac.kyverno.io/aggregate-to-admission-controller", "true");

    /**
     * What Kyverno's background controller must be allowed, cluster-wide, and no more: copy, update and
     * delete the Secrets (checked when the policy is admitted, v1.19.0 pkg/policy/generate/validate.go: get, create,
     * update, delete; list to find the copies, update also labels the source), and read and update ServiceAccounts
     * (checked: get, update; list to find the existing ones).
     */
    public static final List<Permission> BACKGROUND_CONTROLLER_PERMISSIONS = List.of(
            new Permission("secrets", List.of("get", "list", "create", "update", "delete")),
            new Permission("serviceaccounts", List.of("get", "list", "update")));
    /** The background controller's permissions when no policy touches ServiceAccounts (pods name the secret). */
    public static final List<Permission> COPY_PERMISSIONS = BACKGROUND_CONTROLLER_PERMISSIONS.subList(0, 1);
    /** What the admission controller is checked for when a synchronising generate rule is admitted. */
    public static final List<Permission> ADMISSION_CONTROLLER_PERMISSIONS =
            List.of(new Permission("secrets", List.of("get", "list")));

    /** One RBAC rule on a core-group resource. */
    public record Permission(String resource, List<String> verbs) {}
}
