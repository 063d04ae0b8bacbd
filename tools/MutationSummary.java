import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/**
 * Prints PIT's mutation score per package from its XML report, and the mutants that survived:
 * {@code java tools/MutationSummary.java [target/pit-reports/mutations.xml]}. PIT's own summary gives
 * only the total; its HTML report (target/pit-reports/index.html) has the same table with links.
 */
public class MutationSummary {
    public static void main(String[] args) throws Exception {
        var report = Path.of(args.length > 0 ? args[0] : "target/pit-reports/mutations.xml");
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(report));
        var mutations = document.getElementsByTagName("mutation");
        Map<String, int[]> byPackage = new TreeMap<>();
        var survivors = new StringBuilder();
        for (int i = 0; i < mutations.getLength(); i++) {
            var mutation = (Element) mutations.item(i);
            var className = text(mutation, "mutatedClass");
            var packageName = className.substring(0, className.lastIndexOf('.'));
            var detected = mutation.getAttribute("detected").equals("true");
            var counts = byPackage.computeIfAbsent(packageName, name -> new int[2]);
            counts[0] += detected ? 1 : 0;
            counts[1]++;
            if (!detected) {
                var mutator = text(mutation, "mutator");
                survivors.append(String.format("  %-9s %s:%s %s %s: %s%n", mutation.getAttribute("status"),
                        className.substring(className.lastIndexOf('.') + 1), text(mutation, "lineNumber"),
                        text(mutation, "mutatedMethod"), mutator.substring(mutator.lastIndexOf('.') + 1),
                        text(mutation, "description")));
            }
        }
        int killed = 0;
        int all = 0;
        System.out.println("Mutation score per package (killed / mutants):");
        for (var entry : byPackage.entrySet()) {
            var counts = entry.getValue();
            killed += counts[0];
            all += counts[1];
            System.out.printf("  %-32s %4d / %4d  %3d%%%n", entry.getKey(), counts[0], counts[1],
                    Math.round(100.0 * counts[0] / counts[1]));
        }
        System.out.printf("  %-32s %4d / %4d  %3d%%%n", "all", killed, all, all == 0 ? 100 : Math.round(100.0 * killed / all));
        if (survivors.length() > 0) {
            System.out.println("Not killed (see docs/mutation-testing.md for the equivalent ones):");
            System.out.print(survivors);
        }
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent();
    }
}
