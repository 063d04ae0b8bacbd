package registrypullaccess.access;

import java.util.List;
import java.util.Map;

/**
 * Deployment records for tests: a listed shape of the default Secret, home and ServiceAccount, or a copy of another
 * record, changed in only what a test is about.
 */
final class ShapeBuilder {

    private String credentials;
    private boolean clusterWide;
    private List<String> namespaces = List.of();
    private List<String> excluded = List.of();
    private String home = "registry-pull-access";
    private String secretName = "registry-pull-secret";
    private boolean detach;
    private boolean podsNameSecret;
    private List<String> releases = List.of();
    private boolean selector;
    private List<String> serviceAccounts = List.of("default");
    private Map<String, String> selectorLabels = Map.of();
    private List<String> pullSecrets = List.of();
    private String tokenIdentity = "";
    private List<String> keptIn = List.of();

    ShapeBuilder(String credentials) {
        this.credentials = credentials;
    }

    static ShapeBuilder from(DeployedShape shape) {
        var builder = new ShapeBuilder(shape.credentials());
        builder.clusterWide = shape.clusterWide();
        builder.namespaces = shape.namespaces();
        builder.excluded = shape.excluded();
        builder.home = shape.home();
        builder.secretName = shape.secretName();
        builder.detach = shape.detach();
        builder.podsNameSecret = shape.podsNameSecret();
        builder.releases = shape.releases();
        builder.selector = shape.selector();
        builder.serviceAccounts = shape.serviceAccounts();
        builder.selectorLabels = shape.selectorLabels();
        builder.pullSecrets = shape.pullSecrets();
        builder.tokenIdentity = shape.tokenIdentity();
        builder.keptIn = shape.keptIn();
        return builder;
    }

    ShapeBuilder clusterWide(boolean clusterWide) {
        this.clusterWide = clusterWide;
        return this;
    }

    ShapeBuilder namespaces(List<String> namespaces) {
        this.namespaces = namespaces;
        return this;
    }

    ShapeBuilder excluded(List<String> excluded) {
        this.excluded = excluded;
        return this;
    }

    ShapeBuilder home(String home) {
        this.home = home;
        return this;
    }

    ShapeBuilder secretName(String secretName) {
        this.secretName = secretName;
        return this;
    }

    ShapeBuilder detach(boolean detach) {
        this.detach = detach;
        return this;
    }

    ShapeBuilder podsNameSecret(boolean podsNameSecret) {
        this.podsNameSecret = podsNameSecret;
        return this;
    }

    ShapeBuilder releases(List<String> releases) {
        this.releases = releases;
        return this;
    }

    /** Namespaces chosen by these labels; {@code null}: a record written before the labels were kept. */
    ShapeBuilder selecting(Map<String, String> labels) {
        this.selector = labels == null || !labels.isEmpty();
        this.selectorLabels = labels;
        return this;
    }

    ShapeBuilder serviceAccounts(List<String> serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
        return this;
    }

    ShapeBuilder pullSecrets(List<String> pullSecrets) {
        this.pullSecrets = pullSecrets;
        return this;
    }

    ShapeBuilder tokenIdentity(String tokenIdentity) {
        this.tokenIdentity = tokenIdentity;
        return this;
    }

    ShapeBuilder keptIn(List<String> keptIn) {
        this.keptIn = keptIn;
        return this;
    }

    DeployedShape build() {
        return new DeployedShape(
                credentials,
                clusterWide,
                namespaces,
                excluded,
                home,
                secretName,
                detach,
                podsNameSecret,
                releases,
                selector,
                serviceAccounts,
                selectorLabels,
                pullSecrets,
                tokenIdentity,
                keptIn);
    }
}
