"""After `pulumi package add ../..` (docs/component.md): the component of registry-pull-access, typed."""
import pulumi
import pulumi_registry_pull_access as registry_pull_access

config = pulumi.Config()

# The inputs are the stack configuration keys of registry-pull-access (snake_case), checked by the same rules.
access = registry_pull_access.PullAccess(
    "pull-access",
    gcp_project="acme-dev",
    registries=["europe-west1-docker.pkg.dev/acme-dev/images"],
    namespaces=["team-a", "team-b"],
    other_registries=[
        registry_pull_access.OtherRegistryArgs(
            host="ghcr.io",
            username="acme-bot",
            # A secret, as the component requires: a plain password is refused.
            password=config.require_secret("ghcrToken"),
        )
    ],
)

pulumi.export("serviceAccountEmail", access.service_account_email)
pulumi.export("pullSecretName", access.pull_secret_name)
pulumi.export("registryHosts", access.registry_hosts)
