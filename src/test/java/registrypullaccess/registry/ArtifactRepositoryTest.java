package registrypullaccess.registry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactRepositoryTest {

    @ParameterizedTest(name = "{0} is repository {4} in {3}, location {2}")
    @CsvSource({
        "gcr.io,                                         gcr.io,                          us,           acme-dev,    gcr.io",
        "us.gcr.io,                                      us.gcr.io,                       us,           acme-dev,    us.gcr.io",
        "eu.gcr.io,                                      eu.gcr.io,                       europe,       acme-dev,    eu.gcr.io",
        "asia.gcr.io,                                    asia.gcr.io,                     asia,         acme-dev,    asia.gcr.io",
        "eu.gcr.io/acme-legacy,                          eu.gcr.io,                       europe,       acme-legacy, eu.gcr.io",
        "europe-west1-docker.pkg.dev/acme-shared/images, europe-west1-docker.pkg.dev,     europe-west1, acme-shared, images",
        "us-docker.pkg.dev/acme-shared/base-images,      us-docker.pkg.dev,               us,           acme-shared, base-images",
        "docker.europe-west4.rep.pkg.dev/acme-shared/images, docker.europe-west4.rep.pkg.dev, europe-west4, acme-shared, images",
    })
    void mapsEveryHostToItsArtifactRegistryRepository(
            String entry, String host, String location, String project, String repository) {
        assertEquals(
                new ArtifactRepository(entry, host, location, project, repository),
                ArtifactRepository.parse(entry, "acme-dev"));
    }

    @ParameterizedTest(name = "rejects {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://eu.gcr.io                                   | without a scheme",
                "eu.gcr.io/acme/images                               | HOST or HOST/PROJECT",
                "eu.gcr.io/Acme                                      | not a project id",
                "docker.io                                           | not a Google registry host",
                "quay.io/acme/images                                 | not a Google registry host",
                "europe-west99-docker.pkg.dev/acme-shared/images     | not an Artifact Registry location",
                "europe-west1-docker.pkg.dev                         | names its repository",
                "europe-west1-docker.pkg.dev/acme-shared             | names its repository",
                "europe-west1-docker.pkg.dev/acme-shared/images/app  | names its repository",
                "europe-west1-docker.pkg.dev/acme-shared/Images      | not a repository id",
                "europe-west1-docker.pkg.dev/ab/images               | not a project id",
            })
    void rejectsMalformedEntriesSayingHowToWriteThem(String entry, String reason) {
        var error = assertThrows(IllegalArgumentException.class, () -> ArtifactRepository.parse(entry, "acme-dev"));

        assertTrue(error.getMessage().startsWith("\"" + entry + "\""), error.getMessage());
        assertTrue(error.getMessage().contains(reason), error.getMessage());
    }
}
