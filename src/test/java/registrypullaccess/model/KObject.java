package registrypullaccess.model;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One object in the model cluster. Its content is a flat map of fields ({@code type}, {@code data},
 * {@code imagePullSecrets}, {@code spec}, {@code label:KEY}, {@code annotation:KEY}, ...): the granularity at which
 * server-side apply records who manages what for the objects this program touches (a Secret's one data key, a
 * ServiceAccount's atomic {@code imagePullSecrets} list, a custom resource's spec).
 */
final class KObject {
    final String kind;
    final String namespace;
    final String name;
    final long uid;
    /** Who created it: {@code stack}, {@code kyverno}, {@code eso}, {@code kubernetes} or {@code foreign}. */
    final String madeBy;

    final Map<String, Object> fields = new TreeMap<>();
    /** Field to the field managers that own it (several when they applied the same value). */
    final Map<String, Set<String>> managers = new HashMap<>();
    /**
     * The keys of the objects that own this one: it is garbage collected when the last of them goes (Kubernetes
     * documentation, "Owners and Dependents": an object with several owners stays while any of them exists).
     */
    final Set<String> owners = new LinkedHashSet<>();
    /**
     * Its {@code metadata.resourceVersion}: changes with every write that changes it, never repeats for its name. An
     * opaque token to clients, compared for equality only (an etcd revision in Kubernetes).
     */
    String resourceVersion = "";

    KObject(String kind, String namespace, String name, long uid, String madeBy) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
        this.madeBy = madeBy;
    }

    String key() {
        return key(kind, namespace, name);
    }

    static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    String label(String key) {
        return (String) fields.get("label:" + key);
    }

    String annotation(String key) {
        return (String) fields.get("annotation:" + key);
    }

    Set<String> managersOf(String field) {
        return managers.computeIfAbsent(field, unused -> new LinkedHashSet<>());
    }

    /** A copy with the same identity, fields and managers, for an apply that may yet fail. */
    KObject copy() {
        var copy = new KObject(kind, namespace, name, uid, madeBy);
        copy.takeContentOf(this);
        copy.owners.addAll(owners);
        return copy;
    }

    /** Takes another version's fields and managers as this object's own. */
    void takeContentOf(KObject other) {
        var fields = new TreeMap<>(other.fields);
        var managers = new HashMap<String, Set<String>>();
        other.managers.forEach((field, owners) -> managers.put(field, new LinkedHashSet<>(owners)));
        this.fields.clear();
        this.fields.putAll(fields);
        this.managers.clear();
        this.managers.putAll(managers);
    }

    @Override
    public String toString() {
        return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
