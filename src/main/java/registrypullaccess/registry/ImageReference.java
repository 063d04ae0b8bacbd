package registrypullaccess.registry;

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
