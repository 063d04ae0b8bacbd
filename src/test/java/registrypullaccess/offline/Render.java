package registrypullaccess.offline;

import registrypullaccess.App;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints what a stack would declare, without a cloud, a cluster or the Pulumi CLI: the real program runs
 * under the SDK's mock engine with the stack file's configuration.
 *
 * <p>Usage: {@code Render [STACK_FILE]} (default {@code Pulumi.dev.yaml}). Exit code 0 when the program
 * declares its resources, 1 when the configuration is invalid, 2 when the file cannot be read.
 */
public final class Render {

    private static final Set<String> NOISE = Set.of("apiVersion", "kind");

    private Render() {
    }

    public static void main(String[] args) {
        var file = Path.of(args.length > 0 ? args[0] : "Pulumi.dev.yaml");
        StackFile stack;
        try {
            stack = StackFile.load(file);
        } catch (NoSuchFileException e) {
            System.err.println("No stack file at " + file.toAbsolutePath()
                    + ". Pass one, e.g. Pulumi.dev.yaml or stacks/Pulumi.prod.yaml.");
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("Cannot read " + file + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        var run = OfflineRun.run(stack.values(), stack.secretKeys(), App::stack);
        System.exit(print(file, run, System.out, System.err));
    }

    /** Prints the run, returning the exit code. */
    static int print(Path file, OfflineRun run, PrintStream out, PrintStream err) {
        run.warnings().forEach(warning -> err.println("warning: " + warning));
        var failure = run.failure();
        if (failure.isPresent()) {
            err.println("error: " + failure.get().getMessage());
            return 1;
        }
        out.println("Offline render of " + file + ": no cloud, no cluster, no Pulumi CLI.");
        out.println("This is the desired state the program declares, not a diff against what exists.");
        out.println();
        var depths = dependencyDepths(run.resources());
        var children = new HashMap<String, List<DeclaredResource>>();
        for (var resource : run.resources()) {
            children.computeIfAbsent(resource.parentUrn(), parent -> new ArrayList<>()).add(resource);
        }
        Comparator<DeclaredResource> order = Comparator.<DeclaredResource>comparingInt(r -> depths.get(r.urn()))
                .thenComparing(DeclaredResource::type)
                .thenComparing(DeclaredResource::name);
        children.values().forEach(list -> list.sort(order));
        for (var root : children.getOrDefault("", List.of())) {
            printTree(root, "", "", children, out);
        }
        out.println();
        out.println("Outputs:");
        run.outputs().forEach((name, value) -> out.println("  " + name + ": " + value));
        out.println();
        var depth = deepest(depths);
        out.println(run.resources().size() + " resources (the stack and the component included), "
                + "dependency graph depth " + depth + ".");
        return 0;
    }

    private static void printTree(DeclaredResource resource, String lead, String indent,
                                  Map<String, List<DeclaredResource>> children, PrintStream out) {
        out.println(lead + resource.type() + "  " + resource.name());
        var kids = children.getOrDefault(resource.urn(), List.of());
        var detailIndent = indent + (kids.isEmpty() ? "    " : "│   ");
        flatten("", resource.inputs()).forEach((key, value) -> out.println(detailIndent + key + ": " + value));
        for (int i = 0; i < kids.size(); i++) {
            var last = i == kids.size() - 1;
            printTree(kids.get(i), indent + (last ? "└── " : "├── "), indent + (last ? "    " : "│   "), children, out);
        }
    }

    /** Inputs as dotted keys, secret values masked. */
    private static Map<String, Object> flatten(String prefix, Map<String, Object> inputs) {
        var flat = new TreeMap<String, Object>();
        inputs.forEach((key, value) -> {
            if (prefix.isEmpty() && NOISE.contains(key)) {
                return;
            }
            if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                var nested = (Map<String, Object>) map;
                flat.putAll(flatten(prefix + key + ".", nested));
            } else if (value instanceof Double number && number == Math.rint(number)) {
                // Inputs travel as protobuf numbers, all doubles; counts read better without ".0".
                flat.put(prefix + key, number.longValue());
            } else {
                flat.put(prefix + key, value);
            }
        });
        return flat;
    }

    /**
     * The number of resources on the longest dependency chain ending at each resource (parents are not
     * dependencies). Constant depth as namespaces grow means nothing serialises them behind each other.
     */
    static Map<String, Integer> dependencyDepths(List<DeclaredResource> resources) {
        var byUrn = new HashMap<String, DeclaredResource>();
        resources.forEach(resource -> byUrn.put(resource.urn(), resource));
        var depths = new HashMap<String, Integer>();
        resources.forEach(resource -> depth(resource, byUrn, depths));
        return depths;
    }

    /** The length of the longest dependency chain among the resources. */
    public static int dependencyDepth(List<DeclaredResource> resources) {
        return deepest(dependencyDepths(resources));
    }

    private static int deepest(Map<String, Integer> depths) {
        return depths.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static int depth(DeclaredResource resource, Map<String, DeclaredResource> byUrn,
                             Map<String, Integer> depths) {
        var known = depths.get(resource.urn());
        if (known != null) {
            return known;
        }
        var deepest = 0;
        for (var dependency : resource.dependencies()) {
            var upstream = byUrn.get(dependency);
            if (upstream != null) {
                deepest = Math.max(deepest, depth(upstream, byUrn, depths));
            }
        }
        depths.put(resource.urn(), deepest + 1);
        return deepest + 1;
    }
}
