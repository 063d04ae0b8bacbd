package registrypullaccess.pullsecret;

import registrypullaccess.registry.OtherRegistry;
import registrypullaccess.registry.PullSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** What a pull secret holds, worked out from the configured registries; no Pulumi here. */
public final class SecretContent {

    private static final Pattern TRAILING_NEWLINES = Pattern.compile("\n+$");

    private SecretContent() {}

    /**
     * The credential per server: {@code google} for Google's registries, their own for the others.
     * Servers are sorted, as the docker config lists them.
     */
    public static Map<String, RegistryCredential> credentials(List<PullSource> sources, RegistryCredential google) {
        var credentials = new TreeMap<String, RegistryCredential>();
        for (var source : sources) {
            credentials.put(source.host(), source instanceof OtherRegistry other ? other.credential() : google);
        }
        return credentials;
    }

    /**
     * The key file's JSON from a service account key's {@code privateKey} (the file base64-encoded). The
     * final newline is dropped as {@code --docker-password="$(cat key.json)"} drops it, so the Secret is
     * the one the manual steps make, byte for byte.
     */
    public static String keyFileJson(String privateKey) {
        var keyFile = new String(Base64.getDecoder().decode(privateKey), StandardCharsets.UTF_8);
        return TRAILING_NEWLINES.matcher(keyFile).replaceFirst("");
    }

    /**
     * A fingerprint of everything in the credentials but their passwords (servers, usernames, e-mails):
     * it changes when any of them does. Passwords are left out so that no secret value flows into what
     * reviewers read in every diff.
     */
    public static String shape(Map<String, RegistryCredential> credentials) {
        var shape = new StringBuilder();
        new TreeMap<>(credentials)
                .forEach((server, credential) -> shape.append(server)
                        .append(' ')
                        .append(credential.username())
                        .append(' ')
                        .append(credential.email().orElse(""))
                        .append('\n'));
        try {
            var digest =
                    MessageDigest.getInstance("SHA-256").digest(shape.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
