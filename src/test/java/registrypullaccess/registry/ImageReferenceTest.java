package registrypullaccess.registry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageReferenceTest {

    @ParameterizedTest(name = "{0} is pulled from {1}")
    @CsvSource({
        "europe-west1-docker.pkg.dev/acme-shared/images/app:1.0, europe-west1-docker.pkg.dev",
        "eu.gcr.io/acme-dev/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, eu.gcr.io",
        "registry.acme.example:5000/tools/check,                 registry.acme.example:5000",
        "localhost/app:dev,                                      localhost",
        "nginx:1.27,                                             https://index.docker.io/v1/",
        "acme/app:1.0,                                           https://index.docker.io/v1/",
        "docker.io/acme/app:1.0,                                 https://index.docker.io/v1/",
    })
    void findsTheServerAsTheKubeletDoes(String image, String server) {
        assertTrue(ImageReference.isValid(image), image);
        assertEquals(server, ImageReference.server(image));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "eu.gcr.io/Acme/App", "eu.gcr.io/acme/app:", "https://eu.gcr.io/acme/app", "app name"})
    void rejectsWhatIsNotAnImageReference(String image) {
        assertFalse(ImageReference.isValid(image), image);
    }
}
