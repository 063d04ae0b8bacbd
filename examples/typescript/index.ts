// After `pulumi package add ../..` (docs/component.md): the component of registry-pull-access, typed.
import * as pulumi from "@pulumi/pulumi";
import * as registryPullAccess from "@pulumi/registry-pull-access";

const config = new pulumi.Config();

// The inputs are the stack configuration keys of registry-pull-access, checked by the same rules.
const access = new registryPullAccess.PullAccess("pull-access", {
    gcpProject: "acme-dev",
    registries: ["europe-west1-docker.pkg.dev/acme-dev/images"],
    namespaces: ["team-a", "team-b"],
    otherRegistries: [{
        host: "ghcr.io",
        username: "acme-bot",
        // A secret, as the component requires: a plain password is refused.
        password: config.requireSecret("ghcrToken"),
    }],
});

export const serviceAccountEmail = access.serviceAccountEmail;
export const pullSecretName = access.pullSecretName;
export const registryHosts = access.registryHosts;
