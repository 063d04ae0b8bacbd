package registrypullaccess.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One {@code registries}-style entry: a host the cluster pulls from and the access that takes. */
public sealed interface PullSource permits ArtifactRepository, LegacyStorageBucket, ProjectWideReader, OtherRegistry {

    /** The configuration entry, as the user wrote it. */
    String entry();

    /** The server written to the pull secret. */
    String host();

    /** The IAM grant that lets Google's registry serve the puller; none for other registries. */
    Optional<Grant> grant();

    /**
     * Whether pulling this image is what this entry's grant allows: a check of any other image could only fail.
     * Other registries' passwords are the registry's business, so any image of their host counts.
     */
    default boolean serves(String image) {
        return ImageReference.server(image).equals(host());
    }

    /** What a stack output tells about this entry: the host written to the pull secret and the grant made. */
    default Map<String, String> description() {
        var description = new LinkedHashMap<String, String>();
        description.put("entry", entry());
        description.put("host", host());
        grant().ifPresent(grant -> {
            description.put("role", grant.role());
            description.put("resource", grant.resource());
        });
        return Collections.unmodifiableMap(description);
    }
}
