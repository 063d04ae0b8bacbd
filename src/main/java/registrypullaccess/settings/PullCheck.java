package registrypullaccess.settings;

import registrypullaccess.registry.ImageReference;

import java.util.ArrayList;
import java.util.List;

/**
 * The optional pull check: in every namespace, a short Job pulls {@code image} the way any pod would, so
 * `pulumi up` fails while the cause is fresh instead of a workload failing later.
 *
 * @param image       an image in one of the configured registries
 * @param helperImage a small image with a static {@code busybox}, which lends the checked image a
 *                    program to run, so that images without a shell (distroless) can be checked too;
 *                    the musl build, because it links nothing it would have to find in the checked image
 */
public record PullCheck(String image, String helperImage) {

    public static final String DEFAULT_HELPER_IMAGE = "busybox:1.36.1-musl";

    public PullCheck {
        var problems = new ArrayList<>(imageProblems(image));
        problems.addAll(helperProblems(helperImage));
        Problems.require(problems);
    }

    static List<String> imageProblems(String image) {
        return ImageReference.problem(image)
                .map(problem -> ConfigKeys.key("verifyImage") + ": " + problem
                        + (problem.endsWith("not an image reference")
                                ? ", e.g. europe-west1-docker.pkg.dev/acme-shared/images/app:1.0."
                                : "."))
                .stream()
                .toList();
    }

    static List<String> helperProblems(String helperImage) {
        return ImageReference.problem(helperImage)
                .map(problem -> ConfigKeys.key("verifyHelperImage") + ": " + problem + ".")
                .stream()
                .toList();
    }

    /** The registry server the checked image comes from. */
    public String server() {
        return ImageReference.server(image);
    }
}
