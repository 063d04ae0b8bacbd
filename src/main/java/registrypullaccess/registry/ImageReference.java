package registrypullaccess.registry;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registry an image reference pulls from, the way Docker and the kubelet read it: the first path
 * component is a host if it has a dot or a port or is {@code localhost}; otherwise the image is on
 * Docker Hub ({@code nginx:1.27}, {@code acme/app:1.0}).
 */
public final class ImageReference {

    private static final Pattern REFERENCE = Pattern.compile(
            "[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?"
                    + "|[a-z0-9._-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");

    private ImageReference() {}

    public static boolean isValid(String image) {
        return REFERENCE.matcher(image).matches();
    }

    /**
     * Why {@code image} is no image reference to pull, if it is not. A user name or password typed before the host
     * ({@code robot:PASSWORD@europe-west1-docker.pkg.dev/...}; an '@' that does not start a digest) is refused in the
     * words and with the masking of a registry host's ({@link GoogleHosts#invalid}): a problem is printed, and the
     * value may be a password. No other '@' is left then, so the rest prints the value as it is.
     */
    public static Optional<String> problem(String image) {
        if (image.replace("@sha256:", "").contains("@")) {
            return Optional.of(GoogleHosts.invalid(
                            image,
                            "holds a user name or password before '@' (masked here): write the image alone, e.g."
                                    + " europe-west1-docker.pkg.dev/acme-shared/images/app:1.0; it is pulled with the"
                                    + " pull secrets the pod has, as a workload's")
                    .getMessage());
        }
        return isValid(image) ? Optional.empty() : Optional.of("\"" + image + "\" is not an image reference");
    }

    /** The server the image's credentials are filed under in a docker config. */
    public static String server(String image) {
        var slash = image.indexOf('/');
        var first = slash < 0 ? "" : image.substring(0, slash);
        var isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        if (!isHost || first.equals("docker.io") || first.equals("index.docker.io")) {
            return OtherRegistry.DOCKER_HUB_SERVER;
        }
        return first;
    }
}
