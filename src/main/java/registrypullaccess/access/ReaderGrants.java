package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.gcp.artifactregistry.RepositoryIamMember;
import com.pulumi.gcp.artifactregistry.RepositoryIamMemberArgs;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.storage.BucketIAMMember;
import com.pulumi.gcp.storage.BucketIAMMemberArgs;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import registrypullaccess.registry.Grant;
import registrypullaccess.registry.PullSource;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/** Read access for the puller: one additive IAM member per distinct grant, never a binding or a policy. */
final class ReaderGrants {

    private ReaderGrants() {}

    static List<Resource> declare(Children children, List<PullSource> sources, Output<String> member, boolean protect) {
        var grants = new LinkedHashSet<Grant>();
        sources.forEach(source -> source.grant().ifPresent(grants::add));
        // Earlier names turned the dots of hosts and buckets into dashes, which made some of them alike.
        var siblings =
                children.siblings(true, grants.stream().map(ReaderGrants::parts).toList());
        return grants.stream()
                .map(grant -> declare(siblings, grant, member, protect))
                .toList();
    }

    /** A grant's name: what it is granted on, each name Google gives it as one part. */
    private static List<String> parts(Grant grant) {
        return grant.match(
                repository -> List.of("reader", repository.project(), repository.location(), repository.repository()),
                bucket -> List.of("reader", bucket.bucket()),
                project -> List.of("reader", "project", project.project()));
    }

    private static Resource declare(Children.Siblings siblings, Grant grant, Output<String> member, boolean protect) {
        var parts = parts(grant).toArray(String[]::new);
        var name = siblings.name(parts);
        Function<Class<? extends CustomResource>, CustomResourceOptions> options =
                type -> siblings.options(type, parts).protect(protect).build();
        return grant.<Resource>match(
                repository -> new RepositoryIamMember(
                        name,
                        RepositoryIamMemberArgs.builder()
                                .project(repository.project())
                                .location(repository.location())
                                .repository(repository.repository())
                                .role(grant.role())
                                .member(member)
                                .build(),
                        options.apply(RepositoryIamMember.class)),
                bucket -> new BucketIAMMember(
                        name,
                        BucketIAMMemberArgs.builder()
                                .bucket(bucket.bucket())
                                .role(grant.role())
                                .member(member)
                                .build(),
                        options.apply(BucketIAMMember.class)),
                project -> new IAMMember(
                        name,
                        IAMMemberArgs.builder()
                                .project(project.project())
                                .role(grant.role())
                                .member(member)
                                .build(),
                        options.apply(IAMMember.class)));
    }
}
