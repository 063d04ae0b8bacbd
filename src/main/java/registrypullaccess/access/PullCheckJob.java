package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.kubernetes.batch.v1.Job;
import com.pulumi.kubernetes.batch.v1.JobArgs;
import com.pulumi.kubernetes.batch.v1.inputs.JobSpecArgs;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespaceArgs;
import com.pulumi.kubernetes.core.v1.ServiceAccount;
import com.pulumi.kubernetes.core.v1.ServiceAccountArgs;
import com.pulumi.kubernetes.core.v1.inputs.ContainerArgs;
import com.pulumi.kubernetes.core.v1.inputs.EmptyDirVolumeSourceArgs;
import com.pulumi.kubernetes.core.v1.inputs.LocalObjectReferenceArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodTemplateSpecArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeArgs;
import com.pulumi.kubernetes.core.v1.inputs.VolumeMountArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaArgs;
import com.pulumi.resources.Resource;
import registrypullaccess.settings.Coverage;
import registrypullaccess.settings.PullCheck;
import registrypullaccess.settings.PullSecretSettings;
import registrypullaccess.settings.Settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pull check of one namespace: a Job whose pod pulls exactly as an ordinary workload would: under a
 * ServiceAccount the stack lists the pull secret in, naming no pull secret itself; or, where pods name the secret
 * themselves ({@code serviceAccounts: []}), naming it in its own spec under the namespace's {@code default}
 * ServiceAccount, which proves the Secret and the grants, not any ServiceAccount's entry. The image is pulled with
 * {@code Always}, so a copy cached on the node cannot hide a missing permission. The image is not
 * trusted to have a shell: a helper copies a static busybox into a shared volume and the checked
 * container runs {@code busybox true} from there. Pulumi waits for the Job to complete; while IAM
 * propagates the kubelet keeps retrying the pull, and after {@link #SECONDS} the Job is stopped by
 * Kubernetes and `pulumi up` fails with the pod's last pull error.
 */
final class PullCheckJob {

    static final String CHECKED_IMAGE_ANNOTATION = "registry-pull-access/checked-image";
    static final String CHECKED_KEY_ANNOTATION = "registry-pull-access/checked-key";
    static final String CHECKED_SECRET_ANNOTATION = "registry-pull-access/checked-secret";
    /**
     * Without it a Job that failed stays failed in state, and the next `pulumi up` fails on it at once without
     * running the check again. With it, the provider reads the live Job when diffing and replaces one that is not
     * complete (pulumi-kubernetes v4.0.0, provider/pkg/provider/provider.go, Diff: {@code
     * metadata.ReplaceUnready}, Jobs only; provider/pkg/metadata/annotations.go).
     */
    static final String REPLACE_UNREADY_ANNOTATION = "pulumi.com/replaceUnready";
    /** Long enough for a new IAM grant to take effect; the kubelet retries the pull meanwhile. */
    static final int SECONDS = 600;
    /** With fresh pods: how long one pod may try before the Job replaces it. */
    static final int POD_SECONDS = 120;

    private PullCheckJob() {}

    /**
     * Who the check's pod runs as, and the pull secrets it names itself.
     *
     * @param serviceAccount the ServiceAccount the pod runs as
     * @param pullSecrets    the Secrets its spec lists in {@code imagePullSecrets}; none when the ServiceAccount does
     */
    record Pod(String serviceAccount, List<String> pullSecrets) {

        /** The ServiceAccount every namespace has, for a pod that names its pull secrets itself. */
        static final String DEFAULT_SERVICE_ACCOUNT = "default";

        Pod {
            pullSecrets = List.copyOf(pullSecrets);
        }

        /** As a workload of these settings would pull: through the first ServiceAccount, or naming the Secrets. */
        static Pod of(Settings settings, List<String> secretNames) {
            return settings.podsNameThePullSecret()
                    ? new Pod(DEFAULT_SERVICE_ACCOUNT, secretNames)
                    : new Pod(settings.serviceAccounts().get(0), List.of());
        }
    }

    /**
     * A check in every listed namespace, each after the grants and what a pod there needs before it pulls.
     *
     * @param readyByNamespace for each namespace, what a pod there needs in place: its secrets, the
     *                         ServiceAccount entries
     */
    static void declareInEach(
            Children children,
            PullCheck check,
            Map<String, List<Resource>> readyByNamespace,
            Pod pod,
            String secretName,
            List<Resource> grants,
            Output<Map<String, String>> triggers) {
        var jobs = names(children, List.copyOf(readyByNamespace.keySet()));
        readyByNamespace.forEach((namespace, ready) -> {
            var prerequisites = new ArrayList<>(grants);
            prerequisites.addAll(ready);
            declare(jobs, check, namespace, pod, secretName, prerequisites, triggers);
        });
    }

    /**
     * The pull check in a namespace the stack creates for it, labelled so that the policies cover it: the pod
     * pulls through the copy and the ServiceAccount entry Kyverno made there (or, where pods name the secret, the
     * copy it names itself), exactly as a workload in any covered namespace would.
     */
    static void declareClusterWide(
            Children children,
            Coverage.ClusterWide coverage,
            PullCheck check,
            Pod pod,
            String secretName,
            ClusterWideCoverage.Declared declared,
            List<Resource> grants,
            Output<Map<String, String>> triggers) {
        var labels = new LinkedHashMap<>(PullSecrets.LABELS);
        labels.putAll(coverage.selector());
        var prerequisites = new ArrayList<>(grants);
        prerequisites.add(declared.sourceSecret());
        prerequisites.addAll(declared.policies());
        var namespace = new Namespace(
                children.name("check", "namespace"),
                NamespaceArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                .name(coverage.checkNamespace())
                                .labels(labels)
                                .build())
                        .build(),
                // Retained like the home namespace: creating a namespace that exists takes it over (pulumi-kubernetes
                // v4.0.0 applies server-side, no "already exists"), so this one may not be the stack's to delete.
                children.options()
                        .dependsOn(children.after(prerequisites))
                        .retainOnDelete(true)
                        .build());
        prerequisites.add(namespace);
        var serviceAccount = pod.serviceAccount();
        if (!serviceAccount.equals(Pod.DEFAULT_SERVICE_ACCOUNT)) {
            // Kubernetes makes only `default` in a new namespace; Kyverno adds the entry to this one on admission.
            prerequisites.add(new ServiceAccount(
                    children.name("check", serviceAccount),
                    ServiceAccountArgs.builder()
                            .metadata(ObjectMetaArgs.builder()
                                    .name(serviceAccount)
                                    .namespace(coverage.checkNamespace())
                                    .labels(PullSecrets.LABELS)
                                    .build())
                            .build(),
                    children.options().dependsOn(children.after(prerequisites)).build()));
        }
        declare(
                names(children, List.of(coverage.checkNamespace())),
                check,
                coverage.checkNamespace(),
                pod,
                secretName,
                prerequisites,
                triggers,
                true);
    }

    /** The Jobs' names, made together for every namespace. */
    private static Children.Siblings names(Children children, List<String> namespaces) {
        return children.siblings(
                false,
                namespaces.stream()
                        .map(namespace -> List.of(namespace, "pull-check"))
                        .toList());
    }

    /**
     * @param triggers pod annotations that change when what the check proves changes: a changed pod
     *                 template makes Kubernetes replace the Job, so the check runs again exactly then
     */
    private static Job declare(
            Children.Siblings jobs,
            PullCheck check,
            String namespace,
            Pod pod,
            String secretName,
            List<Resource> prerequisites,
            Output<Map<String, String>> triggers) {
        return declare(jobs, check, namespace, pod, secretName, prerequisites, triggers, false);
    }

    /**
     * @param freshPods whether a pod that has not pulled after {@link #POD_SECONDS} is replaced by a new one:
     *                  for a ServiceAccount that something else (Kyverno) gives its entry shortly after the
     *                  namespace appears, since a pod's pull secrets are fixed when it is created
     */
    private static Job declare(
            Children.Siblings jobs,
            PullCheck check,
            String namespace,
            Pod pod,
            String secretName,
            List<Resource> prerequisites,
            Output<Map<String, String>> triggers,
            boolean freshPods) {
        var volume = VolumeMountArgs.builder().name("check").mountPath("/check").build();
        var restricted = RestrictedPod.container();
        var resources = RestrictedPod.busyboxResources();
        var annotations = triggers.applyValue(keys -> {
            var all = new LinkedHashMap<>(keys);
            all.put(CHECKED_IMAGE_ANNOTATION, check.image());
            return Map.copyOf(all);
        });
        return new Job(
                jobs.name(namespace, "pull-check"),
                JobArgs.builder()
                        .metadata(ObjectMetaArgs.builder()
                                // Named, not left to the provider, which would name it after the resource;
                                // one Job per namespace, and after the Secret: two stacks on the same namespaces
                                // have different Secrets (the same one would collide: docs/operations.md).
                                .name(PullSecretSettings.perSecret(jobs.objectName("pull-check"), secretName))
                                .namespace(namespace)
                                .labels(PullSecrets.LABELS)
                                .annotations(Map.of(
                                        CHECKED_IMAGE_ANNOTATION,
                                        check.image(),
                                        "pulumi.com/timeoutSeconds",
                                        String.valueOf(SECONDS + 60),
                                        REPLACE_UNREADY_ANNOTATION,
                                        "true"))
                                .build())
                        .spec(JobSpecArgs.builder()
                                .backoffLimit(freshPods ? SECONDS / POD_SECONDS : 0)
                                .activeDeadlineSeconds(SECONDS)
                                .template(PodTemplateSpecArgs.builder()
                                        .metadata(ObjectMetaArgs.builder()
                                                .annotations(annotations)
                                                .build())
                                        .spec(PodSpecArgs.builder()
                                                .serviceAccountName(pod.serviceAccount())
                                                .imagePullSecrets(
                                                        pod.pullSecrets().isEmpty()
                                                                ? null
                                                                : Output.of(pod.pullSecrets().stream()
                                                                        .map(name -> LocalObjectReferenceArgs.builder()
                                                                                .name(name)
                                                                                .build())
                                                                        .toList()))
                                                .automountServiceAccountToken(false)
                                                .restartPolicy("Never")
                                                .activeDeadlineSeconds(freshPods ? Output.of(POD_SECONDS) : null)
                                                .securityContext(RestrictedPod.pod())
                                                .volumes(VolumeArgs.builder()
                                                        .name("check")
                                                        .emptyDir(EmptyDirVolumeSourceArgs.builder()
                                                                .build())
                                                        .build())
                                                .initContainers(ContainerArgs.builder()
                                                        .name("lend-busybox")
                                                        .image(check.helperImage())
                                                        .command("cp", "/bin/busybox", "/check/busybox")
                                                        .volumeMounts(volume)
                                                        .securityContext(restricted)
                                                        .resources(resources)
                                                        .build())
                                                .containers(ContainerArgs.builder()
                                                        .name("pull")
                                                        .image(check.image())
                                                        .imagePullPolicy("Always")
                                                        .command("/check/busybox", "true")
                                                        .volumeMounts(volume)
                                                        .securityContext(restricted)
                                                        .resources(resources)
                                                        .build())
                                                .build())
                                        .build())
                                .build())
                        .build(),
                jobs.options(Job.class, namespace, "pull-check")
                        .dependsOn(jobs.after(prerequisites))
                        .build());
    }
}
