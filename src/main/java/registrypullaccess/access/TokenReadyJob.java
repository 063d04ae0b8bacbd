package registrypullaccess.access;

import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EnvVarArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.SecretVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.pullsecret.TokenTemplate;
import registrypullaccess.settings.PullSecretSettings;

import java.util.List;
import java.util.Map;

/**
 * Makes `pulumi up` wait until External Secrets Operator has written a minted token into a namespace's pull Secret:
 * a Job, which Pulumi awaits, whose pod mounts that Secret and ends once its {@code .dockerconfigjson} names the
 * token's username. What must not happen before goes after it: the copy policy (Kyverno copies nothing from a source
 * that is created later) and the pull check (which would otherwise pass on a key the Secret still holds); and every
 * delete of the update, the key's among them, runs after it, since deletes come after the program's creates and
 * updates.
 *
 * <p>Read at the pinned tags: pulumi-kubernetes v4.0.0 awaits nothing for an {@code ExternalSecret} (no awaiter for
 * custom resources in {@code provider/pkg/await/awaiters.go}, no {@code pulumi.com/waitFor} at that tag) but awaits a
 * Job until it is {@code Complete}, failing on {@code Failed} or after {@code pulumi.com/timeoutSeconds}
 * ({@code provider/pkg/await/job.go}); ESO v2.9.0 writes the Secret only after a successful fetch
 * ({@code pkg/controllers/externalsecret/externalsecret_controller.go}, {@code Reconcile}: a failed
 * {@code GetProviderSecretData} returns before any write) and backs off to 7 minutes between failures
 * ({@code pkg/controllers/common/common.go}); Kyverno v1.19.0 reacts to a source's writes only by the labels of its
 * old version ({@code pkg/webhooks/resource/generation/handler.go}, {@code handleNonTrigger}), so a source's creation
 * triggers nothing; pulumi v3.253.0 deletes what the program no longer declares only after the program's steps are
 * done ({@code pkg/resource/deploy/deployment_executor.go}, {@code performPostSteps}). The kubelet starts no
 * container of a pod whose (non-optional) Secret volume's Secret is missing, retrying the mount, and refreshes a
 * mounted Secret only at its periodic sync (Kubernetes documentation, docs/token-mode.md).
 */
final class TokenReadyJob {

    /** The resource's last name part, and the Job's name after the component's. */
    static final String NAME = "token-ready";

    /**
     * How long the pod may wait. Google documents up to 7 minutes (or longer) for a new trust grant to take effect
     * (https://cloud.google.com/iam/docs/access-change-propagation); ESO retries after 1, 2, 4 ... 256 s
     * (external-secrets v2.9.0, pkg/controllers/common/common.go, BuildRateLimiter: 1 s doubling, capped at 7
     * minutes), so the try at 512 s is the first after 7 minutes and the next comes at 932 s; the kubelet may take 2
     * more minutes to mount a Secret that appeared (the kubelet's sync period plus its Secret cache's TTL, from the
     * Kubernetes documentation on mounted Secrets, not read in source).
     */
    static final int SECONDS = 1200;

    /** The variable that names what the pod waits for: a token's username, as the token template writes it. */
    static final String EXPECTED_ENV = "EXPECTED";

    /** The text the {@code .dockerconfigjson} holds once ESO wrote a token into it (never with a key). */
    static final String EXPECTED = "\"username\":\"" + TokenTemplate.USERNAME + "\"";

    private static final String MOUNT = "/minted";

    private TokenReadyJob() {}

    /**
     * @param secretName    the Secret ESO writes in the namespace
     * @param helperImage   an image with busybox at {@code /bin/busybox}
     * @param prerequisites what writes it: the ExternalSecret
     */
    static Job declare(
            Children children, String namespace, String secretName, String helperImage, List<Resource> prerequisites) {
        var script = "until grep -qF \"$" + EXPECTED_ENV + "\" " + MOUNT + "/" + PullSecrets.DOCKER_CONFIG_JSON
                + "; do sleep 5; done";
        return new Job(
                children.name(namespace, NAME),
                JobArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                // Two stacks on the same namespaces have different Secrets (the same one would
                                // collide: docs/operations.md), so after the Secret, each its own Job.
                                .name(PullSecretSettings.perSecret(children.objectName(NAME), secretName))
                                .namespace(namespace)
                                .labels(PullSecrets.LABELS)
                                .annotations(Map.of(
                                        "pulumi.com/timeoutSeconds",
                                        String.valueOf(SECONDS + 60),
                                        // A wait that timed out runs again at the next `pulumi up`.
                                        PullCheckJob.REPLACE_UNREADY_ANNOTATION,
                                        "true"))
                                .build())
                        .spec(JobSpecArgs.builder()
                                .backoffLimit(0)
                                .activeDeadlineSeconds(SECONDS)
                                .template(PodTemplateSpecArgs.builder()
                                        .spec(PodSpecArgs.builder()
                                                .automountServiceAccountToken(false)
                                                .restartPolicy("Never")
                                                .securityContext(RestrictedPod.pod())
                                                .volumes(VolumeArgs.builder()
                                                        .name("minted")
                                                        .secret(SecretVolumeSourceArgs.builder()
                                                                .secretName(secretName)
                                                                .build())
                                                        .build())
                                                .containers(ContainerArgs.builder()
                                                        .name("wait")
                                                        .image(helperImage)
                                                        .command("/bin/busybox", "sh", "-c", script)
                                                        .env(EnvVarArgs.builder()
                                                                .name(EXPECTED_ENV)
                                                                .value(EXPECTED)
                                                                .build())
                                                        .volumeMounts(VolumeMountArgs.builder()
                                                                .name("minted")
                                                                .mountPath(MOUNT)
                                                                .readOnly(true)
                                                                .build())
                                                        .securityContext(RestrictedPod.container())
                                                        .resources(RestrictedPod.busyboxResources())
                                                        .build())
                                                .build())
                                        .build())
                                .build())
                        .build(),
                children.options().dependsOn(children.after(prerequisites)).build());
    }
}
