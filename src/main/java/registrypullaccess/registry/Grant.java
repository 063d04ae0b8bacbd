package registrypullaccess.registry;

import java.util.function.Function;

/**
 * An IAM grant that lets the puller read images: a role on one resource, added to the resource's policy
 * as one more member and never replacing it.
 */
public sealed interface Grant permits Grant.OnRepository, Grant.OnBucket, Grant.OnProject {

    String ARTIFACT_REGISTRY_READER = "roles/artifactregistry.reader";
    String STORAGE_OBJECT_VIEWER = "roles/storage.objectViewer";

    /** E.g. {@code roles/artifactregistry.reader}. */
    String role();

    /** The resource it is granted on, e.g. {@code projects/acme-shared/locations/europe-west1/repositories/images}. */
    String resource();

    /** Picks the function for this kind of grant; every kind must be handled, so none is forgotten. */
    <T> T match(Function<OnRepository, T> repository, Function<OnBucket, T> bucket, Function<OnProject, T> project);

    /** The least access that works: reading one Artifact Registry repository. */
    record OnRepository(String project, String location, String repository) implements Grant {
        @Override
        public String role() {
            return ARTIFACT_REGISTRY_READER;
        }

        @Override
        public String resource() {
            return "projects/" + project + "/locations/" + location + "/repositories/" + repository;
        }

        @Override
        public <T> T match(
                Function<OnRepository, T> repository, Function<OnBucket, T> bucket, Function<OnProject, T> project) {
            return repository.apply(this);
        }
    }

    /** Reading one Container Registry storage bucket. */
    record OnBucket(String bucket) implements Grant {
        @Override
        public String role() {
            return STORAGE_OBJECT_VIEWER;
        }

        @Override
        public String resource() {
            return "projects/_/buckets/" + bucket;
        }

        @Override
        public <T> T match(
                Function<OnRepository, T> repository, Function<OnBucket, T> bucket, Function<OnProject, T> project) {
            return bucket.apply(this);
        }
    }

    /** Reading every repository of a project: broader than pulls need. */
    record OnProject(String project) implements Grant {
        @Override
        public String role() {
            return ARTIFACT_REGISTRY_READER;
        }

        @Override
        public String resource() {
            return "projects/" + project;
        }

        @Override
        public <T> T match(
                Function<OnRepository, T> repository, Function<OnBucket, T> bucket, Function<OnProject, T> project) {
            return project.apply(this);
        }
    }
}
