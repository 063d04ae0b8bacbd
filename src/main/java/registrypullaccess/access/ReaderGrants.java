package registrypullaccess.access;

import com.pulumi.core.Output;
import com.pulumi.gcp.artifactregistry.RepositoryIamMember;
import com.pulumi.gcp.artifactregistry.RepositoryIamMemberArgs;
import com.pulumi.gcp.projects.IAMMember;
import com.pulumi.gcp.projects.IAMMemberArgs;
import com.pulumi.gcp.storage.BucketIAMMember;
import com.pulumi.gcp.storage.BucketIAMMemberArgs;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import registrypullaccess.registry.Grant;
import registrypullaccess.registry.PullSource;

import java.util.LinkedHashSet;
import java.util.List;

/** Read access for the puller: one additive IAM member per distinct grant, never a binding or a policy. */
final class ReaderGrants {

    private ReaderGrants() {
    }

    static List<Resource> declare(Children children, List<PullSource> sources, Output<String> member,
                                  boolean protect) {
        var grants = new LinkedHashSet<Grant>();
        sources.forEach(source -> source.grant().ifPresent(grants::add));
        var options = children.options().protect(protect).build();
        return grants.stream().map(grant -> declare(children, grant, member, options)).toList();
    }

    private static Resource declare(Children children, Grant grant, Output<String> member,
                                    CustomResourceOptions options) {
        return grant.<Resource>match(
                repository -> new RepositoryIamMember(children.name("reader", slug(repository.project() + "-"
                        + repository.location() + "-" + repository.repository())), RepositoryIamMemberArgs.builder()
                        .project(repository.project())
                        .location(repository.location())
                        .repository(repository.repository())
                        .role(grant.role())
                        .member(member)
                        .build(), options),
                bucket -> new BucketIAMMember(children.name("reader", slug(bucket.bucket())), BucketIAMMemberArgs.builder()
                        .bucket(bucket.bucket())
                        .role(grant.role())
                        .member(member)
                        .build(), options),
                project -> new IAMMember(children.name("reader", "project", project.project()), IAMMemberArgs.builder()
                        .project(project.project())
                        .role(grant.role())
                        .member(member)
                        .build(), options));
    }

    /** A resource-name fragment: Pulumi names allow dots, but dashes read alike everywhere. */
    private static String slug(String text) {
        return text.replace('.', '-');
    }
}
