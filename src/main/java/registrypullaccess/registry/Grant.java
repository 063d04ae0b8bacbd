package registrypullaccess.registry;

/**
 * An IAM grant that lets the puller read images: a role on one resource, added to the resource's policy
 * as one more member and never replacing it.
 *
 * @param role     e.g. {@code roles/artifactregistry.reader}
 * @param resource the resource it is granted on, e.g.
 *                 {@code projects/acme-shared/locations/europe-west1/repositories/images}
 */
public record Grant(String role, String resource) {

    public static final String ARTIFACT_REGISTRY_READER = "roles/artifactregistry.reader";
    public static final String STORAGE_OBJECT_VIEWER = "roles/storage.objectViewer";
}
