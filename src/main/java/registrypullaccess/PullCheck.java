package registrypullaccess;

/**
 * The optional end-to-end check: in every namespace, a short Job pulls {@code image} the way any pod
 * would, so `pulumi up` fails while the cause is fresh instead of a workload failing later.
 *
 * @param image       an image in one of the configured registries
 * @param helperImage a small image with a static {@code busybox}, which lends the checked image a
 *                    program to run, so that images without a shell (distroless) can be checked too;
 *                    the musl build, because it links nothing it would have to find in the checked image
 */
public record PullCheck(String image, String helperImage) {

    public static final String DEFAULT_HELPER_IMAGE = "busybox:1.36.1-musl";
}
