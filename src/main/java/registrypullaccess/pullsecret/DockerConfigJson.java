package registrypullaccess.pullsecret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code .dockerconfigjson} of a {@code kubernetes.io/dockerconfigjson} Secret, byte for byte as
 * {@code kubectl create secret docker-registry} writes it:
 *
 * <pre>{@code
 * {"auths":{"eu.gcr.io":{"username":"_json_key","password":"{...}","email":"ops@example.com","auth":"X2pzb25fa2V5Ons..."}}}
 * }</pre>
 *
 * <p>kubectl serialises with Go's {@code encoding/json}: servers in byte order, fields in the order
 * above, {@code email} only when given, and Go's string escaping (HTML characters as <code>&#92;u003c</code>,
 * U+2028/U+2029 escaped, {@code \b} and {@code \f} short forms). Matching it exactly means a Secret we
 * write is indistinguishable from a hand-made one, so switching to this program causes no diff noise.
 */
public final class DockerConfigJson {

    private DockerConfigJson() {}

    /** The Secret's {@code .dockerconfigjson} data value: the rendered JSON, base64-encoded as Secret data is. */
    public static String encoded(Map<String, RegistryCredential> credentialsByServer) {
        return base64(render(credentialsByServer));
    }

    /** Renders one {@code auths} entry per server; servers are sorted as Go sorts map keys. */
    public static String render(Map<String, RegistryCredential> credentialsByServer) {
        var json = new StringBuilder("{\"auths\":{");
        var first = true;
        for (var entry : new TreeMap<>(credentialsByServer).entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            appendString(json, entry.getKey());
            json.append(':');
            appendEntry(json, entry.getValue());
        }
        return json.append("}}").toString();
    }

    private static void appendEntry(StringBuilder json, RegistryCredential credential) {
        json.append("{\"username\":");
        appendString(json, credential.username());
        json.append(",\"password\":");
        appendString(json, credential.password());
        credential.email().ifPresent(email -> {
            json.append(",\"email\":");
            appendString(json, email);
        });
        json.append(",\"auth\":");
        appendString(json, base64(credential.username() + ":" + credential.password()));
        json.append('}');
    }

    /** A JSON string literal with Go's escaping, as kubectl writes it. */
    public static String quote(String value) {
        var json = new StringBuilder();
        appendString(json, value);
        return json.toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
