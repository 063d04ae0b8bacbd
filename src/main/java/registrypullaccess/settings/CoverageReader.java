package registrypullaccess.settings;

import com.google.gson.JsonElement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The coverage; empty when its keys are wrong (the problems are recorded). */
    Optional<Coverage> read() {
        var before = problems.list().size();
        var namespaces = readNamespaces();
        var namespacesValid = problems.list().size() == before;
        var allNamespaces = values.bool("allNamespaces");
        var selector = readSelector();
        var excluded = values.list("excludeNamespaces", Coverage.ClusterWide.DEFAULT_EXCLUDED);
        var home = values.string("homeNamespace", Coverage.DEFAULT_HOME);
        var installKyverno = values.bool("installKyverno");
        var clusterWide = allNamespaces || selector.map(map -> !map.isEmpty()).orElse(false);
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
            var homeProblems = Coverage.homeProblems(home);
            problems.addAll(homeProblems);
            return namespacesValid && homeProblems.isEmpty()
                    ? Optional.of(new Coverage.Listed(namespaces, home))
                    : Optional.empty();
        }
        problems.when(
                allNamespaces && selector.isPresent(),
                () -> key("allNamespaces") + " is true and "
                        + key("namespaceSelector") + " is set: cover every namespace, or only those with the "
                        + "selector's labels. Remove one of them.");
        problems.when(
                !namespaces.equals(Coverage.Listed.DEFAULT_NAMESPACES),
                () -> key("namespaces") + " lists " + namespaces + " while "
                        + (allNamespaces ? key("allNamespaces") + " is true" : key("namespaceSelector") + " is set")
                        + ": cluster-wide coverage finds the namespaces in the cluster, a list names them. Remove "
                        + "namespaces (`pulumi config rm " + key("namespaces") + "`), or cluster-wide coverage.");
        if (excluded.isEmpty() || (selector.isEmpty() && !allNamespaces)) {
            return Optional.empty();
        }
        var found = Coverage.ClusterWide.problems(selector.orElse(Map.of()), excluded.get(), home);
        problems.addAll(found);
        if (!found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Coverage.ClusterWide(selector.orElse(Map.of()), excluded.get(), home, installKyverno));
    }

    /** {@code namespaces}: Kubernetes names, each valid and listed once. */
    private List<String> readNamespaces() {
        var name = "namespaces";
        var list = values.list(name, Coverage.Listed.DEFAULT_NAMESPACES);
        list.ifPresent(names -> problems.addAll(KubernetesNames.listProblems(
                name,
                names,
                KubernetesNames.RFC_1123_LABEL,
                KubernetesNames.NAMESPACE,
                Coverage.Listed.DEFAULT_NAMESPACES)));
        return list.orElse(List.of());
    }

    /** The selector's labels; empty when unset or wrong (the problem recorded). */
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
            return Optional.empty();
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
