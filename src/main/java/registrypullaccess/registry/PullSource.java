package registrypullaccess.registry;

import java.util.Optional;

/** One {@code registries}-style entry: a host the cluster pulls from and the access that takes. */
public sealed interface PullSource permits ArtifactRepository, LegacyStorageBucket, ProjectReader, OtherRegistry {

    /** The configuration entry, as the user wrote it. */
    String entry();

    /** The server written to the pull secret. */
    String host();

    /** The IAM grant that lets Google's registry serve the puller; none for other registries. */
    Optional<Grant> grant();
}
