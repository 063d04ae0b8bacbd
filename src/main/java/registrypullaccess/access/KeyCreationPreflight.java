package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.gcp.projects.ProjectsFunctions;
import com.pulumi.gcp.projects.inputs.GetOrganizationPolicyArgs;
import com.pulumi.gcp.projects.outputs.GetOrganizationPolicyBooleanPolicy;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.InvalidSettingsException;

import java.util.List;
import java.util.Optional;

/**
 * Before key mode creates anything: whether the project forbids service account keys. Google enforces
 * {@value #CONSTRAINT} by default in organisations created since 2024-05-03, and then refuses the key
 * halfway through `pulumi up` ({@code FAILED_PRECONDITION}); this says so before the first resource.
 *
 * <p>It reads the policy set on the project itself, which is what the pinned gcp SDK can read: a constraint
 * enforced only on a parent folder or the organisation is not seen here, and Google's error still comes.
 */
final class KeyCreationPreflight {

    static final String CONSTRAINT = "constraints/iam.disableServiceAccountKeyCreation";

    private KeyCreationPreflight() {}

    /** The project, once the check has passed: whatever is declared with it waits for the check. */
    static Output<String> checkedProject(String gcpProject) {
        return ProjectsFunctions.getOrganizationPolicy(GetOrganizationPolicyArgs.builder()
                        .project(gcpProject)
                        .constraint(CONSTRAINT)
                        .build())
                .applyValue(policy -> {
                    // The provider may answer without the lists (no policy set on the project), and the SDK then
                    // leaves them null: absent means nothing is enforced here.
                    var booleanPolicies =
                            Optional.ofNullable(policy.booleanPolicies()).orElse(List.of());
                    if (booleanPolicies.stream()
                            .map(GetOrganizationPolicyBooleanPolicy::enforced)
                            .anyMatch(Boolean.TRUE::equals)) {
                        throw new InvalidSettingsException(List.of(problem(gcpProject)));
                    }
                    return gcpProject;
                });
    }

    static String problem(String gcpProject) {
        return "gcp:project " + gcpProject + " enforces " + CONSTRAINT + ", so Google would refuse the JSON key that "
                + ConfigKeys.key("credentials") + " key creates. Use a way of pulling that needs no key: credentials "
                + "token (short-lived tokens through External Secrets Operator, on any cluster) or credentials node "
                + "(GKE nodes pull with their own identity).";
    }
}
