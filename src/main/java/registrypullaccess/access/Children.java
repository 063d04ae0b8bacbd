package registrypullaccess.access;

import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.List;

/**
 * How the component's children are named and parented, in one place: every child's name starts with the
 * component's, so two components in one stack never collide, and every child is the component's.
 *
 * @param name   the component's name
 * @param parent the component
 */
record Children(String name, Resource parent) {

    /** A child's name: the component's name and the given parts. */
    String name(String... parts) {
        return name + "-" + String.join("-", parts);
    }

    CustomResourceOptions.Builder options() {
        return CustomResourceOptions.builder().parent(parent);
    }

    /** Options that, when adopting, import what the manual steps made instead of failing on it. */
    CustomResourceOptions.Builder adoptable(boolean adopt, String importId, String... differing) {
        var options = options();
        if (adopt) {
            // A hand-made resource differs in these fields; ignoring them lets the import succeed, and
            // the next `pulumi up` without adopt brings them to the declared state.
            options.importId(importId).ignoreChanges(List.of(differing));
        }
        return options;
    }
}
