package registrypullaccess.registry;

import registrypullaccess.pullsecret.RegistryCredential;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registry outside Google Cloud (GitHub Container Registry, Docker Hub, a self-hosted one): it joins
 * the pull secret with its own username and password, and no GCP resource is made for it.
 *
 * @param entry      the host as configured
 * @param host       the server written to the pull secret
 * @param credential its username and password (never printed)
 */
public record OtherRegistry(String entry, String host, RegistryCredential credential) implements PullSource {

    /** Where Docker's own clients, and kubectl by default, file Docker Hub credentials. */
    public static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";

    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?");

    /**
     * Checks a host with its username and password.
     *
     * @throws IllegalArgumentException saying what is wrong and how to fix it
     */
    public static OtherRegistry of(String host, String username, String password, Optional<String> email) {
        GoogleHosts.rejectUserInfo(
                host,
                "write the host alone, e.g. ghcr.io, with the user name in this entry's username field and the "
                        + "password in its password field, set as a secret (pulumi config set --secret)");
        GoogleHosts.rejectScheme(host);
        if (!HOST.matcher(host).matches()) {
            throw GoogleHosts.invalid(
                    host,
                    "not a registry host: a DNS name with an optional port, "
                            + "e.g. ghcr.io or registry.acme.example:5000");
        }
        if (GoogleHosts.isGoogle(host)) {
            throw GoogleHosts.invalid(
                    host,
                    "a Google registry: list it under registries, which grants access "
                            + "through IAM, instead of giving a password");
        }
        if (username.isBlank()) {
            throw GoogleHosts.invalid(host, "username is empty");
        }
        if (username.contains(":")) {
            // Not repeated: a user name with a ':' is often "user:password" typed into the one field.
            throw GoogleHosts.invalid(
                    host,
                    "username holds a ':' (not repeated here), which cannot work: the pull secret's auth field is"
                            + " base64(username:password), which the kubelet splits at the first ':' (kubernetes"
                            + " pkg/credentialprovider/config.go, decodeDockerConfigFieldAuth), and Basic"
                            + " authentication forbids a ':' in the user-id (RFC 7617, section 2). Put the user name"
                            + " alone in username, and anything after the ':' in password, set as a secret");
        }
        if (password.isEmpty()) {
            throw GoogleHosts.invalid(host, "password is empty");
        }
        var server = host.equals("docker.io") || host.equals("index.docker.io") ? DOCKER_HUB_SERVER : host;
        return new OtherRegistry(host, server, new RegistryCredential(username, password, email));
    }

    @Override
    public Optional<Grant> grant() {
        return Optional.empty();
    }
}
