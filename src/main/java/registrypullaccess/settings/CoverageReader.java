package registrypullaccess.settings;

import com.google.gson.JsonElement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static registrypullaccess.settings.ConfigKeys.key;

/**
 * Reads the coverage keys: {@code namespaces}, or cluster-wide {@code allNamespaces} / {@code namespaceSelector}
 * with their own keys. The Pulumi CLI hands the program every key's default from Pulumi.yaml as if it were set,
 * so a key counts as given only when its value differs from the default.
 */
final class CoverageReader {

    private final ConfigValues values;
    private final Problems problems;

    CoverageReader(ConfigValues values) {
        this.values = values;
        this.problems = values.problems();
    }

    /**
     * The coverage, with stand-ins for what breaks a rule (the problems recorded), so that the rules between settings
     * still judge the rest: a list's valid entries, or a key's default ({@link ConfigValues#standIns}); empty only
     * when even the stand-ins break a rule of the whole.
     */
    Optional<Coverage> read() {
        var namespaces = readNamespaces();
        var allNamespaces = values.bool("allNamespaces");
        var selector = readSelector();
        var excluded = values.list("excludeNamespaces", Coverage.ClusterWide.DEFAULT_EXCLUDED);
        var home = values.string("homeNamespace", Coverage.DEFAULT_HOME);
        var installKyverno = values.bool("installKyverno");
        var clusterWide = allNamespaces || selector.isPresent();
        if (!clusterWide) {
            var notCovering = "; it only applies with " + key("allNamespaces") + " true or a "
                    + key("namespaceSelector") + ". Remove it, or turn cluster-wide coverage on.";
            excluded.filter(list -> !list.equals(Coverage.ClusterWide.DEFAULT_EXCLUDED))
                    .ifPresent(list -> problems.add(key("excludeNamespaces") + " is set to " + list + notCovering));
            // In token mode the listed namespaces copy the token from a home namespace too.
            var token = values.raw("credentials").filter("token"::equals).isPresent();
            problems.when(
                    !token && !home.equals(Coverage.DEFAULT_HOME),
                    () -> key("homeNamespace") + " is set to \"" + home + "\"; it only applies with "
                            + key("allNamespaces") + " true, a " + key("namespaceSelector") + " or "
                            + key("credentials") + " token. Remove it.");
            problems.when(installKyverno, () -> key("installKyverno") + " is true" + notCovering);
            return Optional.of(new Coverage.Listed(
                    namespacesStandIn(namespaces),
                    values.valid("homeNamespace", home, Coverage::homeProblems, Coverage.DEFAULT_HOME)));
        }
        problems.when(
                allNamespaces && selector.isPresent(),
                () -> key("allNamespaces") + " is true and "
                        + key("namespaceSelector") + " is set: cover every namespace, or only those with the "
                        + "selector's labels. Remove one of them.");
        var listed = namespaces.orElse(List.of());
        problems.when(
                !listed.equals(Coverage.Listed.DEFAULT_NAMESPACES),
                () -> key("namespaces") + " lists " + listed + " while "
                        + (allNamespaces ? key("allNamespaces") + " is true" : key("namespaceSelector") + " is set")
                        + ": cluster-wide coverage finds the namespaces in the cluster, a list names them. Remove "
                        + "namespaces (`pulumi config rm " + key("namespaces") + "`), or cluster-wide coverage.");
        var labels = selector.orElse(Map.of());
        problems.addAll(Coverage.ClusterWide.problems(labels, excluded.orElse(List.of()), home));
        return clusterWideStandIn(labels, excluded, home, installKyverno);
    }

    /** {@code namespaces} as given, its problems recorded; empty when it is not a list. */
    private Optional<List<String>> readNamespaces() {
        var name = "namespaces";
        var list = values.list(name, Coverage.Listed.DEFAULT_NAMESPACES);
        list.ifPresent(names -> problems.addAll(KubernetesNames.listProblems(
                name,
                names,
                KubernetesNames.RFC_1123_LABEL,
                KubernetesNames.NAMESPACE,
                Coverage.Listed.DEFAULT_NAMESPACES)));
        return list;
    }

    /**
     * The valid namespaces, each once. The rules between settings ask whether a namespace is listed, or whether the
     * list is too long: asked of the valid part of the list, a yes holds for the whole. With no valid namespace at all,
     * the default stands in and those rules are skipped.
     */
    private List<String> namespacesStandIn(Optional<List<String>> namespaces) {
        var valid = namespaces
                .map(names -> KubernetesNames.validEntries(names, KubernetesNames.RFC_1123_LABEL))
                .orElse(List.of());
        if (valid.isEmpty()) {
            values.standIn("namespaces");
            return Coverage.Listed.DEFAULT_NAMESPACES;
        }
        return valid;
    }

    /**
     * Cluster-wide coverage from what of it is valid: the valid labels (no rule between settings reads them), the
     * valid excluded namespaces (a namespace found among them is excluded), the home namespace or, when it breaks a
     * rule, the default standing in. Empty only when the default home namespace is itself excluded.
     */
    private Optional<Coverage> clusterWideStandIn(
            Map<String, String> labels, Optional<List<String>> excluded, String home, boolean installKyverno) {
        var validLabels = new TreeMap<String, String>();
        labels.forEach((label, value) -> {
            if (Coverage.ClusterWide.labelProblems(label, value).isEmpty()) {
                validLabels.put(label, value);
            }
        });
        var validExcluded = excluded.map(names -> KubernetesNames.validEntries(names, KubernetesNames.RFC_1123_LABEL))
                .orElseGet(() -> {
                    values.standIn("excludeNamespaces");
                    return Coverage.ClusterWide.DEFAULT_EXCLUDED;
                });
        var validHome = home;
        if (!Coverage.ClusterWide.problems(Map.of(), validExcluded, home).isEmpty()) {
            values.standIn("homeNamespace");
            validHome = Coverage.DEFAULT_HOME;
        }
        return Coverage.ClusterWide.problems(validLabels, validExcluded, validHome)
                        .isEmpty()
                ? Optional.of(new Coverage.ClusterWide(validLabels, validExcluded, validHome, installKyverno))
                : Optional.empty();
    }

    /**
     * The selector's labels whose values are strings; empty when unset or empty (the problem recorded), which does
     * not ask for cluster-wide coverage.
     */
    private Optional<Map<String, String>> readSelector() {
        var name = "namespaceSelector";
        var raw = values.nonEmpty(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        var howToSet = "Set each label with `pulumi config set --path '" + name + ".team' payments`, or in the "
                + "stack file as a YAML mapping of label to value.";
        var parsed =
                ConfigValues.json(raw.get()).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
        if (parsed.isEmpty()) {
            problems.add(key(name) + " must be a mapping of label to value, got " + raw.get() + ". " + howToSet);
            // Set, so cluster-wide coverage is meant: judged as such, with no label.
            return Optional.of(Map.of());
        }
        var labels = new LinkedHashMap<String, String>();
        for (var entry : parsed.get().entrySet()) {
            var value = entry.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                problems.add(key(name) + ": the value of " + entry.getKey() + " must be a string, got " + value
                        + " (quote it in YAML: \"" + value + "\"). " + howToSet);
                continue;
            }
            labels.put(entry.getKey(), value.getAsString());
        }
        if (labels.isEmpty() && parsed.get().size() == 0) {
            problems.add(key(name) + " is empty: it would select every namespace; say so with " + key("allNamespaces")
                    + " true, or list the labels. " + howToSet);
            return Optional.empty();
        }
        return Optional.of(labels);
    }
}
