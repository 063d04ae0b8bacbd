package registrypullaccess.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The Kubernetes API server as far as pull access depends on it: objects with field managers, server-side apply
 * and its conflicts, plain updates by controllers, owner references and garbage collection, and a watch that the
 * model's controllers (Kyverno, ESO, the ServiceAccount controller) react to.
 *
 * <p>Server-side apply (Kubernetes documentation, "Server-Side Apply", and {@code k8s.io/apimachinery}'s
 * {@code fieldmanager}): an apply sets the fields it names; a field another manager owns with a different value is a
 * conflict unless forced; the same value is shared; a field this manager applied before and now leaves out is removed
 * when no one else owns it. A plain update (how Kyverno and ESO write, and {@code kubectl create}) takes the fields it
 * changes away from every other manager. A {@code imagePullSecrets} list has no merge key: it is one field.
 */
final class ModelCluster {

    /**
     * What a watch reports (an admission webhook sees as much).
     *
     * @param before the object's fields before the change; empty for a creation
     */
    record Change(String kind, String namespace, String name, Kind type, String manager, Map<String, Object> before) {
        Object labelBefore(String label) {
            return before.get("label:" + label);
        }

        enum Kind {
            CREATED,
            UPDATED,
            DELETED
        }
    }

    /** A server-side apply refused: another manager owns a field with a different value. */
    static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    private final Map<String, KObject> objects = new LinkedHashMap<>();
    /** The last resource version given under each key: a name deleted and made again never repeats one. */
    private final Map<String, Long> versions = new HashMap<>();

    private final List<Consumer<Change>> watchers = new ArrayList<>();
    private long uids;

    void watch(Consumer<Change> watcher) {
        watchers.add(watcher);
    }

    Optional<KObject> get(String kind, String namespace, String name) {
        return Optional.ofNullable(objects.get(KObject.key(kind, namespace, name)));
    }

    /** Every object, in the order they were first made. */
    List<KObject> all() {
        return List.copyOf(objects.values());
    }

    List<KObject> all(String kind) {
        return objects.values().stream().filter(o -> o.kind.equals(kind)).toList();
    }

    /** An admission webhook refused a write, dry run or not. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * A validating admission webhook: sees an applied object's fields before ({@code null} when it is created) and as
     * they would be, and throws {@link Refused} to refuse. It is called for dry runs too (Kyverno's policy webhook
     * declares {@code sideEffects: None}, so the API server sends it dry-run requests).
     */
    interface Admission {
        void admit(String kind, String namespace, String name, Map<String, Object> before, Map<String, Object> after);
    }

    private final List<Admission> admissions = new ArrayList<>();

    void admission(Admission admission) {
        admissions.add(admission);
    }

    /**
     * Server-side apply: creates the object when missing.
     *
     * @param takenOver managers whose fields the applier takes as its own before applying (pulumi-kubernetes does
     *                  this for {@code kubectl} and {@code before-first-apply}, see docs/model.md)
     */
    KObject apply(
            String manager,
            String kind,
            String namespace,
            String name,
            Map<String, Object> applied,
            boolean force,
            Set<String> takenOver,
            String madeBy) {
        return apply(manager, kind, namespace, name, applied, force, takenOver, madeBy, "");
    }

    /**
     * Server-side apply with the applied object's {@code metadata.resourceVersion}, when not empty, as a precondition:
     * the merged object keeps the applied value (structured-merge-diff sets every field the applied configuration
     * names; {@code stripmeta.go} only keeps it out of managed fields), and the registry's update refuses a version
     * that is not the stored one (kubernetes/apiserver v0.32.0 {@code pkg/registry/generic/registry/store.go}
     * {@code Update}: "the object has been modified; please apply your changes to the latest version and try again").
     * An apply that changes nothing is not written: no new version, no watch event ({@code pkg/storage/etcd3/store.go}
     * {@code GuaranteedUpdate} skips an unchanged object).
     */
    KObject apply(
            String manager,
            String kind,
            String namespace,
            String name,
            Map<String, Object> applied,
            boolean force,
            Set<String> takenOver,
            String madeBy,
            String resourceVersion) {
        var existing = objects.get(KObject.key(kind, namespace, name));
        precondition(existing, kind, namespace, name, resourceVersion);
        var object = merged(existing, manager, kind, namespace, name, applied, force, takenOver, madeBy, false);
        if (existing != null) {
            if (existing.fields.equals(object.fields) && owners(existing).equals(owners(object))) {
                return existing;
            }
            var before = Map.copyOf(existing.fields);
            existing.takeContentOf(object);
            stored(existing);
            notify(existing, Change.Kind.UPDATED, manager, before);
            return existing;
        }
        stored(object);
        notify(object, Change.Kind.CREATED, manager, Map.of());
        return object;
    }

    private static void precondition(
            KObject existing, String kind, String namespace, String name, String resourceVersion) {
        if (!resourceVersion.isEmpty() && (existing == null || !existing.resourceVersion.equals(resourceVersion))) {
            throw new Conflict("Operation cannot be fulfilled on " + kind.toLowerCase(Locale.ROOT) + "s \"" + name
                    + "\": the object has been modified; please apply your changes to the latest version and try again"
                    + " (" + kind + " " + namespace + "/" + name + ")");
        }
    }

    /** Who manages what, without the fields no one manages any more. */
    private static Map<String, Set<String>> owners(KObject object) {
        var owners = new HashMap<String, Set<String>>();
        object.managers.forEach((field, managers) -> {
            if (!managers.isEmpty()) {
                owners.put(field, Set.copyOf(managers));
            }
        });
        return owners;
    }

    /** Stores a changed object under a new resource version. */
    private void stored(KObject object) {
        object.resourceVersion = String.valueOf(versions.merge(object.key(), 1L, Long::sum));
        objects.put(object.key(), object);
    }

    /**
     * A server-side apply with {@code dryRun=All}: conflicts and admission as for a real one, nothing persisted, no
     * watcher told.
     */
    void dryRunApply(
            String manager, String kind, String namespace, String name, Map<String, Object> applied, boolean force) {
        dryRunApply(manager, kind, namespace, name, applied, force, "");
    }

    /** A dry run conditional on {@code resourceVersion}, when not empty, as {@link #apply} is. */
    void dryRunApply(
            String manager,
            String kind,
            String namespace,
            String name,
            Map<String, Object> applied,
            boolean force,
            String resourceVersion) {
        var existing = objects.get(KObject.key(kind, namespace, name));
        precondition(existing, kind, namespace, name, resourceVersion);
        merged(existing, manager, kind, namespace, name, applied, force, Set.of(), "", true);
    }

    /** The object as the apply would leave it, on a copy; throws on a conflict or a refusal. */
    private KObject merged(
            KObject existing,
            String manager,
            String kind,
            String namespace,
            String name,
            Map<String, Object> applied,
            boolean force,
            Set<String> takenOver,
            String madeBy,
            boolean dryRun) {
        var object =
                existing != null ? existing.copy() : new KObject(kind, namespace, name, dryRun ? 0 : ++uids, madeBy);
        for (var owners : object.managers.values()) {
            if (owners.removeIf(takenOver::contains)) {
                owners.add(manager);
            }
        }
        if (!force) {
            for (var field : applied.entrySet()) {
                var others = new ArrayList<>(object.managersOf(field.getKey()));
                others.remove(manager);
                if (!others.isEmpty() && !Objects.equals(object.fields.get(field.getKey()), field.getValue())) {
                    throw new Conflict("Apply failed with 1 conflict: conflict with \"" + others.get(0) + "\": ."
                            + field.getKey() + " (" + object + ")");
                }
            }
        }
        // Fields this manager set before and no longer applies go, unless someone else owns them too.
        for (var field : List.copyOf(object.managers.keySet())) {
            var owners = object.managers.get(field);
            if (owners.contains(manager) && !applied.containsKey(field)) {
                owners.remove(manager);
                if (owners.isEmpty()) {
                    object.fields.remove(field);
                    object.managers.remove(field);
                }
            }
        }
        for (var field : applied.entrySet()) {
            var owners = object.managersOf(field.getKey());
            if (force || !Objects.equals(object.fields.get(field.getKey()), field.getValue())) {
                owners.clear();
            }
            owners.add(manager);
            object.fields.put(field.getKey(), field.getValue());
        }
        var annotations = object.fields.entrySet().stream()
                .filter(field -> field.getKey().startsWith("annotation:"))
                .mapToLong(field -> field.getKey().length()
                        - "annotation:".length()
                        + String.valueOf(field.getValue()).length())
                .sum();
        if (annotations > TOTAL_ANNOTATION_BYTES) {
            throw new Refused("metadata.annotations: Too long: must have at most " + TOTAL_ANNOTATION_BYTES + " bytes ("
                    + object + ")");
        }
        var before = existing == null ? null : Map.copyOf(existing.fields);
        admissions.forEach(admission -> admission.admit(kind, namespace, name, before, Map.copyOf(object.fields)));
        return object;
    }

    /**
     * What all the annotations of one object may hold together, keys and values (kubernetes/apimachinery v0.27.2,
     * pkg/api/validation/objectmeta.go, TotalAnnotationSizeLimitB, ValidateAnnotationsSize): the API server refuses
     * a write over it.
     */
    static final int TOTAL_ANNOTATION_BYTES = 256 * 1024;

    /** A plain create or update (PUT) by a controller: it owns what it changes, and takes it from everyone else. */
    KObject write(
            String manager, String kind, String namespace, String name, Map<String, Object> changed, String madeBy) {
        var existing = objects.get(KObject.key(kind, namespace, name));
        var object = existing != null ? existing : new KObject(kind, namespace, name, ++uids, madeBy);
        var before = Map.copyOf(object.fields);
        for (var field : changed.entrySet()) {
            if (field.getValue() == null) {
                object.fields.remove(field.getKey());
                object.managers.remove(field.getKey());
                continue;
            }
            if (!Objects.equals(object.fields.get(field.getKey()), field.getValue()) || existing == null) {
                object.managersOf(field.getKey()).clear();
            }
            object.managersOf(field.getKey()).add(manager);
            object.fields.put(field.getKey(), field.getValue());
        }
        stored(object);
        notify(object, existing == null ? Change.Kind.CREATED : Change.Kind.UPDATED, manager, before);
        return object;
    }

    /**
     * Deletes an object, then what it owns (the garbage collector's background propagation: owner references) and,
     * for a namespace, everything in it.
     */
    boolean delete(String kind, String namespace, String name, String manager) {
        var object = objects.remove(KObject.key(kind, namespace, name));
        if (object == null) {
            return false;
        }
        notify(object, Change.Kind.DELETED, manager, Map.copyOf(object.fields));
        for (var other : List.copyOf(objects.values())) {
            var orphaned = other.owners.remove(object.key()) && other.owners.isEmpty();
            if (orphaned || ("Namespace".equals(kind) && other.namespace.equals(name))) {
                delete(other.kind, other.namespace, other.name, "garbage-collector");
            }
        }
        return true;
    }

    private void notify(KObject object, Change.Kind type, String manager, Map<String, Object> before) {
        var change = new Change(object.kind, object.namespace, object.name, type, manager, before);
        List.copyOf(watchers).forEach(watcher -> watcher.accept(change));
    }
}
