package registrypullaccess.access;

import com.pulumi.kubernetes.core.v1.inputs.CapabilitiesArgs;
import com.pulumi.kubernetes.core.v1.inputs.PodSecurityContextArgs;
import com.pulumi.kubernetes.core.v1.inputs.ResourceRequirementsArgs;
import com.pulumi.kubernetes.core.v1.inputs.SeccompProfileArgs;
import com.pulumi.kubernetes.core.v1.inputs.SecurityContextArgs;

import java.util.Map;

/** The settings every pod of ours runs with (the pull check, the wait for a token): the {@code restricted} profile. */
final class RestrictedPod {

    private RestrictedPod() {}

    /** A container of ours under the {@code restricted} Pod Security settings: no privilege, a read-only root. */
    static SecurityContextArgs container() {
        return SecurityContextArgs.builder()
                .allowPrivilegeEscalation(false)
                .readOnlyRootFilesystem(true)
                .capabilities(CapabilitiesArgs.builder().drop("ALL").build())
                .build();
    }

    /** A pod of ours under the {@code restricted} Pod Security settings: as user 65534, the runtime's seccomp profile. */
    static PodSecurityContextArgs pod() {
        return PodSecurityContextArgs.builder()
                .runAsNonRoot(true)
                .runAsUser(65534)
                .seccompProfile(
                        SeccompProfileArgs.builder().type("RuntimeDefault").build())
                .build();
    }

    /** What a container of ours that only runs busybox asks for. */
    static ResourceRequirementsArgs busyboxResources() {
        return ResourceRequirementsArgs.builder()
                .requests(Map.of("cpu", "10m", "memory", "16Mi"))
                .limits(Map.of("memory", "64Mi"))
                .build();
    }
}
