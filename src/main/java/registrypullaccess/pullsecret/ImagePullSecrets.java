package registrypullaccess.pullsecret;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code imagePullSecrets} a ServiceAccount should list. Kubernetes replaces that list as a whole
 * (it has no merge key, and server-side apply owns it as one value), so the program writes back every
 * entry it found there and adds or removes only its own.
 */
public final class ImagePullSecrets {

    private ImagePullSecrets() {}

    /**
     * The list to write back: every entry found there, each once, but our former ones, then ours.
     *
     * @param live     the names listed now, in order (may include ours from an earlier run)
     * @param ours     the pull secrets this program manages
     * @param former   the pull secrets this program listed there before and no longer does (under another
     *                 {@code secretName}, or without other registries): taken out, as no longer current
     * @param withOurs false when detaching: ours are taken out and the rest kept
     */
    public static List<String> merge(List<String> live, List<String> ours, List<String> former, boolean withOurs) {
        var names = new ArrayList<String>();
        live.stream()
                .filter(name -> !ours.contains(name) && !former.contains(name) && !names.contains(name))
                .forEach(names::add);
        if (withOurs) {
            names.addAll(ours);
        }
        return List.copyOf(names);
    }
}
