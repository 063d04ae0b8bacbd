package registrypullaccess.offline;

import registrypullaccess.App;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.Settings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints what a stack would declare, without a cloud, a cluster or the Pulumi CLI: the real program runs
 * under the SDK's mock engine with the stack file's configuration.
 *
 * <p>Usage: {@code Render [STACK_FILE] [--reveal=true]} (default {@code Pulumi.dev.yaml}). Exit code 0 when the
 * program declares its resources, 1 when the configuration is invalid, 2 when the file cannot be read or is
 * not valid YAML.
 */
public final class Render {

    private static final Set<String> NOISE = Set.of("apiVersion", "kind");

    private Render() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Renders the stack file named by the arguments ({@code [STACK_FILE] [--reveal=true]}), returning the exit
     * code. Every failure prints its message alone: no stack trace.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        var reveal = Arrays.stream(args).anyMatch("--reveal=true"::equals)
                || Arrays.asList(args).contains("--reveal");
        var file = Path.of(Arrays.stream(args)
                .filter(arg -> !arg.startsWith("--"))
                .findFirst()
                .orElse("Pulumi.dev.yaml"));
        StackFile stack;
        try {
            stack = StackFile.load(file);
        } catch (NoSuchFileException e) {
            err.println("No stack file at " + file.toAbsolutePath()
                    + ". Pass one, e.g. Pulumi.dev.yaml or stacks/Pulumi.prod.yaml.");
            return 2;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 2;
        }
        try {
            // The stack file knows more than pulumi up tells the program: which values inside a key are encrypted.
            Settings.fromConfig(stack.config());
        } catch (InvalidSettingsException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        return print(file, OfflineRun.run(stack.values(), stack.secretKeys(), App::stack), reveal, out, err);
    }

    /** Prints the run with secrets masked, returning the exit code. */
    static int print(Path file, OfflineRun run, PrintStream out, PrintStream err) {
        return print(file, run, false, out, err);
    }

    /**
     * Prints the run, returning the exit code.
     *
     * @param reveal whether to show secret values: only ever ones the render made up (the fake key and what is
     *               built from it) or a stack file's placeholder, never a decrypted value, since none is read
     */
    static int print(Path file, OfflineRun run, boolean reveal, PrintStream out, PrintStream err) {
        run.warnings().forEach(warning -> err.println("warning: " + warning));
        var failure = run.failure();
        if (failure.isPresent()) {
            err.println("error: " + failure.get().getMessage());
            return 1;
        }
        out.println("Offline render of " + file + ": no cloud, no cluster, no Pulumi CLI.");
        out.println("This is the desired state the program declares, not a diff against what exists.");
        if (reveal) {
            out.println("Secrets are shown (--reveal): those this render made up (a fake key, and what is built from "
                    + "it); a value encrypted in the stack file is never decrypted and shows as "
                    + StackFile.ENCRYPTED_PLACEHOLDER + ".");
        }
        out.println();
        var depths = dependencyDepths(run.resources());
        var children = new HashMap<String, List<DeclaredResource>>();
        for (var resource : run.resources()) {
            children.computeIfAbsent(resource.parentUrn(), parent -> new ArrayList<>())
                    .add(resource);
        }
        Comparator<DeclaredResource> order = Comparator.<DeclaredResource>comparingInt(r -> depths.get(r.urn()))
                .thenComparing(DeclaredResource::type)
                .thenComparing(DeclaredResource::name);
        children.values().forEach(list -> list.sort(order));
        for (var root : children.getOrDefault("", List.of())) {
            printTree(root, "", "", children, reveal, out);
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

    private static void printTree(
            DeclaredResource resource,
            String lead,
            String indent,
            Map<String, List<DeclaredResource>> children,
            boolean reveal,
            PrintStream out) {
        out.println(lead + resource.type() + "  " + resource.name());
        var kids = children.getOrDefault(resource.urn(), List.of());
        var detailIndent = indent + (kids.isEmpty() ? "    " : "│   ");
        flatten("", resource.inputs(), reveal).forEach((key, value) -> out.println(detailIndent + key + ": " + value));
        options(resource.options())
                .forEach((key, value) -> out.println(detailIndent + "options." + key + ": " + value));
        for (int i = 0; i < kids.size(); i++) {
            var last = i == kids.size() - 1;
            printTree(
                    kids.get(i),
                    indent + (last ? "└── " : "├── "),
                    indent + (last ? "    " : "│   "),
                    children,
                    reveal,
                    out);
        }
    }

    /** The options that change what an update or a destroy does, those that are set. */
    private static Map<String, Object> options(DeclaredResource.Options options) {
        var set = new LinkedHashMap<String, Object>();
        if (options.protect()) {
            set.put("protect", true);
        }
        options.importId().ifPresent(id -> set.put("import", id));
        if (options.retainOnDelete()) {
            set.put("retainOnDelete", true);
        }
        if (!options.ignoreChanges().isEmpty()) {
            set.put("ignoreChanges", options.ignoreChanges());
        }
        if (options.deleteBeforeReplace().orElse(false)) {
            set.put("deleteBeforeReplace", true);
        }
        return set;
    }

    /** Inputs as dotted keys, secret values masked unless revealed (a docker config then decoded). */
    private static Map<String, Object> flatten(String prefix, Map<String, Object> inputs, boolean reveal) {
        var flat = new TreeMap<String, Object>();
        inputs.forEach((key, value) -> {
            if (prefix.isEmpty() && NOISE.contains(key)) {
                return;
            }
            if (reveal && value instanceof DeclaredResource.SecretValue secret) {
                value = secret.value();
            }
            // Secret data is base64; the same key in an ExternalSecret's template is the template itself.
            if (reveal && value instanceof String text && key.equals(".dockerconfigjson") && prefix.equals("data.")) {
                value = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            }
            if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                var nested = (Map<String, Object>) map;
                flat.putAll(flatten(prefix + key + ".", nested, reveal));
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

    private static int depth(
            DeclaredResource resource, Map<String, DeclaredResource> byUrn, Map<String, Integer> depths) {
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
