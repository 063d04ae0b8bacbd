package registrypullaccess.access;

import com.pulumi.core.Alias;
import com.pulumi.core.Output;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.deployment.Deployment;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the component's children are named and parented, in one place: every child's name starts with the
 * component's, so two components in one stack never collide, and every child is the component's.
 *
 * <p>A name is the component's name and the child's parts joined by {@code /}, e.g.
 * {@code pull-access/team-a/default/sa}. No part may contain {@code /} (no Kubernetes or Google name does),
 * so distinct parts give distinct names: the engine refuses two resources of one type with one name.
 *
 * <p>Earlier versions joined the parts with {@code -} (and some turned dots into dashes), so that namespace
 * {@code a} with ServiceAccount {@code b-c} and namespace {@code a-b} with {@code c} were both
 * {@code pull-access-a-b-c-sa}. A child that had such a name carries it as an alias, so the engine moves
 * its state to the new name instead of replacing it; but only when no sibling of its type had the same old
 * name in this run, since the engine refuses two resources that claim to be the same earlier one. (Such a
 * stack could not have been deployed: the engine refused it then too.)
 *
 * <p>The alias is the old resource's whole URN, computed here, not a name for the engine to complete: the SDK
 * turns an alias given by name into about ten {@code Output}s per resource before it registers it (pulumi-java
 * v1.36.1, {@code sdk/java/pulumi/src/main/java/com/pulumi/deployment/internal/AliasSerializer.java}), and a URN
 * into one. The engine uses a URN alias as given, and completes a named one into the same URN: the old name
 * under this component, whose type is the URN's parent type as the component sits under the stack (pulumi
 * v3.253.0, {@code pkg/resource/deploy/step_generator.go}, {@code collapseAliasToUrn};
 * {@code sdk/go/common/resource/alias.go}, {@code CreateURN}; {@code pkg/resource/deploy/deployment.go},
 * {@code generateURN}). Every version with the old names declared the component under the stack, so a
 * component elsewhere gets no aliases: its children never had other names.
 *
 * @param name      the component's name
 * @param parent    the component
 * <p>Every child waits for the update's checks ({@link #waitingFor(Output)}): a check that refuses the update must stop it
 * before anything is registered, not only fail it. A preview would stop there anyway, but automation runs updates
 * without one (`pulumi up --skip-preview`, which the Automation API and pulumi/actions run), and the engine carries out
 * every registration it has received before the program fails.
 *
 * @param oldPrefix what the URNs of the component's children began with in the versions with the old names
 *                  ({@code urn:pulumi:STACK::PROJECT::registry-pull-access:index:PullAccess$}), or empty when
 *                  the component cannot have had children with old names
 * @param cleared   known once the checks that may refuse the update have passed; it fails when one refuses
 */
record Children(String name, Resource parent, Optional<String> oldPrefix, Output<?> cleared) {

    static final String SEPARATOR = "/";

    Children {
        requireNoSeparator(name);
    }

    /**
     * The children of a component of type {@code componentType}, under the stack when {@code underStack}: only
     * there did earlier versions declare it, with old names.
     */
    static Children of(String name, Resource parent, String componentType, boolean underStack) {
        var deployment = Deployment.getInstance();
        return new Children(
                name,
                parent,
                underStack
                        ? Optional.of("urn:pulumi:" + deployment.getStackName() + "::" + deployment.getProjectName()
                                + "::" + componentType + "$")
                        : Optional.empty(),
                Output.of(true));
    }

    /** The same children, each registered only once {@code checks} is known: not at all when it fails. */
    Children waitingFor(Output<?> checks) {
        return new Children(name, parent, oldPrefix, checks);
    }

    /**
     * What a child depends on, given as its {@code dependsOn}: these resources, once the checks have passed. A
     * child's own {@code dependsOn} replaces the one {@link #options()} sets, so every child that has one passes it
     * through here.
     */
    Output<List<Resource>> after(List<Resource> resources) {
        var prerequisites = List.copyOf(resources);
        return cleared.applyValue(passed -> prerequisites);
    }

    /** A child's name: the component's name and the given parts, joined by {@code /}. */
    String name(String... parts) {
        for (var part : parts) {
            requireNoSeparator(part);
        }
        return name + SEPARATOR + String.join(SEPARATOR, parts);
    }

    /**
     * The name of an object in the cluster that would otherwise be named after its resource: a provider
     * derives such a name from the resource's, and Kubernetes refuses the {@code /} in it.
     */
    String objectName(String what) {
        return name + "-" + what;
    }

    /** Options for a child that never had another name: its parent, and that it waits for the checks. */
    CustomResourceOptions.Builder options() {
        return CustomResourceOptions.builder().parent(parent).dependsOn(after(List.of()));
    }

    /**
     * Options for a child that was once the one child of its type named {@code before}, in this naming or the old one:
     * both are its aliases, so that it keeps that child's state.
     */
    CustomResourceOptions.Builder renamedFrom(Class<? extends CustomResource> type, String before) {
        var typeToken = type.getAnnotation(ResourceType.class).type();
        var aliases = oldPrefix
                .map(prefix -> List.of(
                        Alias.withUrn(prefix + typeToken + "::" + name(before)),
                        Alias.withUrn(prefix + typeToken + "::" + oldName(List.of(before), false))))
                .orElseGet(() -> List.of(Alias.builder().name(name(before)).build()));
        var options = options();
        options.aliases(aliases.toArray(Alias[]::new));
        return options;
    }

    /** Options for the one child of its type whose name was once its parts joined by {@code -}. */
    CustomResourceOptions.Builder alone(Class<? extends CustomResource> type, String... parts) {
        return siblings(false, List.of(List.of(parts))).options(type, parts);
    }

    /**
     * The children of one type whose names were once their parts joined by {@code -}, named together so that
     * each keeps its old name exactly when it was its own.
     *
     * @param dotsWereDashes whether the old names also turned dots into dashes (the grants' did)
     * @param members        every child's parts
     */
    Siblings siblings(boolean dotsWereDashes, Collection<List<String>> members) {
        var counts = new HashMap<String, Integer>();
        members.forEach(parts -> counts.merge(oldName(parts, dotsWereDashes), 1, Integer::sum));
        return new Siblings(
                dotsWereDashes,
                Set.copyOf(members.stream().map(List::copyOf).toList()),
                counts.entrySet().stream()
                        .filter(count -> count.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toUnmodifiableSet()));
    }

    /** Options that, when adopting, import what the manual steps made instead of failing on it. */
    static CustomResourceOptions.Builder adoptable(
            CustomResourceOptions.Builder options, boolean adopt, String importId, String... differing) {
        if (adopt) {
            // A hand-made resource differs in these fields; ignoring them lets the import succeed, and
            // the next `pulumi up` without adopt brings them to the declared state.
            options.importId(importId).ignoreChanges(List.of(differing));
        }
        return options;
    }

    /** What earlier versions named a child. */
    private String oldName(List<String> parts, boolean dotsWereDashes) {
        var joined = String.join("-", parts);
        return name + "-" + (dotsWereDashes ? joined.replace('.', '-') : joined);
    }

    private static void requireNoSeparator(String part) {
        if (part.isEmpty() || part.contains(SEPARATOR)) {
            throw new IllegalArgumentException("\"" + part + "\" cannot be part of a resource name: it must be "
                    + "non-empty and without " + SEPARATOR);
        }
    }

    /** Children of one type, named together. */
    final class Siblings {
        private final boolean dotsWereDashes;
        private final Set<List<String>> members;
        /** The old names that more than one of them had, which none of them may claim. */
        private final Set<String> ambiguous;

        private Siblings(boolean dotsWereDashes, Set<List<String>> members, Set<String> ambiguous) {
            this.dotsWereDashes = dotsWereDashes;
            this.members = members;
            this.ambiguous = ambiguous;
        }

        String name(String... parts) {
            return Children.this.name(parts);
        }

        String objectName(String what) {
            return Children.this.objectName(what);
        }

        Output<List<Resource>> after(List<Resource> resources) {
            return Children.this.after(resources);
        }

        /**
         * The child's options, with its old URN as an alias when no sibling had that name too.
         *
         * @param type the child's class, whose type token is the old URN's
         */
        CustomResourceOptions.Builder options(Class<? extends CustomResource> type, String... parts) {
            if (!members.contains(List.of(parts))) {
                throw new IllegalArgumentException(List.of(parts) + " was not named with its siblings " + members);
            }
            var options = Children.this.options();
            var oldName = oldName(List.of(parts), dotsWereDashes);
            if (!ambiguous.contains(oldName)) {
                oldPrefix.ifPresent(prefix -> options.aliases(Alias.withUrn(
                        prefix + type.getAnnotation(ResourceType.class).type() + "::" + oldName)));
            }
            return options;
        }
    }
}
