package registrypullaccess.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code imagePullSecrets} a ServiceAccount should list. Kubernetes replaces that list as a whole
 * (it has no merge key, and server-side apply owns it as one value), so the program writes back every
 * entry it found there and adds or removes only its own.
 */
public final class ImagePullSecrets {

    private ImagePullSecrets() {
    }

    /**
     * @param live     the names listed now, in order (may include ours from an earlier run)
     * @param ours     the pull secret this program manages
     * @param withOurs false when detaching: ours is taken out and the rest kept
     */
    public static List<String> merge(List<String> live, String ours, boolean withOurs) {
        var names = new ArrayList<String>();
        live.stream().filter(name -> !name.equals(ours) && !names.contains(name)).forEach(names::add);
        if (withOurs) {
            names.add(ours);
        }
        return List.copyOf(names);
    }
}
