package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.gcp.serviceaccount.Account;
import com.pulumi.gcp.serviceaccount.AccountArgs;

/** The puller's GCP service account, which the read grants are made to. */
final class PullerAccount {

    private PullerAccount() {}

    /**
     * @param project the project, as an output so that a preflight check can hold the account back
     */
    static Account declare(
            Children children,
            String gcpProject,
            Output<String> project,
            String serviceAccountId,
            boolean adopt,
            boolean protect) {
        var email = serviceAccountId + "@" + gcpProject + ".iam.gserviceaccount.com";
        return new Account(
                children.name("sa"),
                AccountArgs.builder()
                        .project(project)
                        .accountId(serviceAccountId)
                        .displayName("Kubernetes image puller")
                        .description("Pulls container images into Kubernetes clusters. Managed by Pulumi "
                                + "(registry-pull-access); changes made by hand are undone on the next update.")
                        .build(),
                Children.adoptable(
                                children.alone(Account.class, "sa"),
                                adopt,
                                "projects/" + gcpProject + "/serviceAccounts/" + email,
                                "displayName",
                                "description")
                        .protect(protect)
                        .build());
    }
}
