package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.deployment.Deployment;
import com.pulumi.kubernetes.core.v1.Namespace;
import com.pulumi.kubernetes.core.v1.NamespacePatch;
import com.pulumi.kubernetes.core.v1.NamespacePatchArgs;
import com.pulumi.kubernetes.meta.v1.inputs.ObjectMetaPatchArgs;
import com.pulumi.kubernetes.meta.v1.outputs.ObjectMeta;
import com.pulumi.resources.Resource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the stack records what it deployed ({@link DeployedShape}), for its next update to read: an annotation of its
 * own on the {@code default} Namespace, which every cluster has, so that reading it never fails (a read of an object
 * that does not exist fails the whole update: pulumi v3.253.0, pkg/resource/deploy/step.go, ReadStep.Apply, "resource
 * ... does not exist"). One annotation per stack and component, so that stacks sharing a cluster keep theirs apart.
 *
 * <p>Written by a patch, which only ever owns that annotation; the patch depends on the read, so the update reads the
 * record before it writes the new one. `pulumi destroy` deletes the patch, which relinquishes the annotation
 * (pulumi-kubernetes v4.0.0, provider/pkg/await/await.go, Deletion; ssa/actions.go, Relinquish): a stack deployed
 * again afterwards starts from nothing, as its state does. A stack last deployed by a version without the record
 * reads none, and its next update is treated as before.
 */
final class DeploymentMarker {

    /** The namespace whose annotations hold the record: every cluster has it, and it cannot be deleted. */
    static final String NAMESPACE = "default";

    static final String ANNOTATION_PREFIX = "registry-pull-access/deployed.";

    /** Before each Helm release this program installed, {@code namespace/name} with the slash a dot. */
    static final String RELEASE_PREFIX = "registry-pull-access/release.";

    private final Children children;
    private final String annotation;
    private final Namespace read;

    private DeploymentMarker(Children children, String annotation, Namespace read) {
        this.children = children;
        this.annotation = annotation;
        this.read = read;
    }

    /** Reads the record the stack's last update wrote. */
    static DeploymentMarker read(Children children) {
        var deployment = Deployment.getInstance();
        var annotation = annotation(deployment.getProjectName(), deployment.getStackName(), children.name());
        var live = Namespace.get(
                children.name("deployed", "read"),
                Output.of(NAMESPACE),
                children.options().build());
        return new DeploymentMarker(children, annotation, live);
    }

    /** What the stack deployed last; empty on its first update, or when a version without the record deployed it. */
    Output<Optional<DeployedShape>> previous() {
        return read.metadata()
                .applyValue(metadata -> Optional.ofNullable(metadata)
                        .map(ObjectMeta::annotations)
                        .map(annotations -> annotations.get(annotation))
                        .flatMap(DeployedShape::parse));
    }

    /**
     * The Helm releases some stack of this program installed on the cluster, {@code namespace/name}: recorded for good
     * ({@link #writeReleases}), since `pulumi destroy` keeps the releases.
     */
    Output<Set<String>> installedReleases() {
        return read.metadata()
                .applyValue(metadata ->
                        Optional.ofNullable(metadata).map(ObjectMeta::annotations).orElse(Map.of()).entrySet().stream()
                                .filter(annotation -> annotation.getKey().startsWith(RELEASE_PREFIX))
                                .map(Map.Entry::getValue)
                                .collect(Collectors.toUnmodifiableSet()));
    }

    /**
     * Records the Helm releases this update installs, retained on delete like the releases themselves: a stack
     * deployed after `pulumi destroy`, or another stack, then knows they are there before Helm refuses to install
     * them again ({@link DeployedShape#releaseRefusal}).
     */
    void writeReleases(List<String> releases, Output<?> checked) {
        if (releases.isEmpty()) {
            return;
        }
        var annotations = new TreeMap<String, String>();
        releases.forEach(release -> annotations.put(releaseAnnotation(release), release));
        annotations.put(ServiceAccountPatches.PATCH_FORCE_ANNOTATION, "true");
        new NamespacePatch(
                children.name("releases"),
                NamespacePatchArgs.builder()
                        .metadata(ObjectMetaPatchArgs.builder()
                                .name(NAMESPACE)
                                .annotations(checked.applyValue(ok -> Map.copyOf(annotations)))
                                .build())
                        .build(),
                children.options()
                        .dependsOn(children.after(List.of(read)))
                        .retainOnDelete(true)
                        .build());
    }

    /** The annotation that records a release, {@code namespace/name}. */
    static String releaseAnnotation(String release) {
        return RELEASE_PREFIX + release.replace('/', '.');
    }

    /** Records what this update deploys, once it is known to be deployable. */
    Resource write(Output<DeployedShape> shape) {
        return new NamespacePatch(
                children.name("deployed"),
                NamespacePatchArgs.builder()
                        .metadata(ObjectMetaPatchArgs.builder()
                                .name(NAMESPACE)
                                .annotations(shape.applyValue(deployed -> Map.of(
                                        annotation,
                                        RecordEncoding.encode(deployed.toJson()),
                                        ServiceAccountPatches.PATCH_FORCE_ANNOTATION,
                                        "true")))
                                .build())
                        .build(),
                children.options().dependsOn(children.after(List.of(read))).build());
    }

    /**
     * The annotation of one stack's component: a digest of project, stack and component names, which may be longer
     * than an annotation's name allows (63 characters).
     */
    static String annotation(String project, String stack, String component) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((project + "/" + stack + "/" + component).getBytes(StandardCharsets.UTF_8));
            return ANNOTATION_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}
