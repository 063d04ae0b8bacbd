package registrypullaccess.pullsecret;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The template External Secrets Operator renders into a {@code .dockerconfigjson} from a
 * {@code GCRAccessToken} generator's {@code username} ({@code oauth2accesstoken}) and {@code password} (an
 * access token): the bytes {@code kubectl create secret docker-registry} writes for each host, as
 * {@link DockerConfigJson} does for a key. For one host:
 *
 * <pre>{@code
 * {"auths":{"eu.gcr.io":{"username":{{ .username | toJson }},"password":{{ .password | toJson }},"auth":{{ printf "%s:%s" .username .password | b64enc | toJson }}}}}
 * }</pre>
 *
 * <p>The skeleton is written out rather than built with sprig's {@code dict}, whose JSON sorts the fields
 * and so differs from kubectl's; {@code toJson} is Go's {@code json.Marshal}, which escapes as kubectl does.
 */
public final class TokenTemplate {

    /** The username Google's registries expect with an access token, as the generator gives it. */
    public static final String USERNAME = "oauth2accesstoken";

    private TokenTemplate() {}

    /** The template for the given Google hosts (written sorted, once each) and optional e-mail. */
    public static String dockerConfigJson(List<String> hosts, Optional<String> email) {
        var entry = "{\"username\":{{ .username | toJson }},\"password\":{{ .password | toJson }}"
                + email.map(value -> ",\"email\":" + literal(DockerConfigJson.quote(value)))
                        .orElse("")
                + ",\"auth\":{{ printf \"%s:%s\" .username .password | b64enc | toJson }}}";
        var json = new StringBuilder("{\"auths\":{");
        var first = true;
        for (var host : new TreeSet<>(hosts)) {
            json.append(first ? "" : ",")
                    .append(literal(DockerConfigJson.quote(host)))
                    .append(':')
                    .append(entry);
            first = false;
        }
        return json.append("}}").toString();
    }

    /** Text the template engine must print as it is: two opening braces would start an action. */
    private static String literal(String text) {
        return text.replace("{{", "{{ \"{{\" }}");
    }
}
