package registrypullaccess.access;

import registrypullaccess.settings.ConfigKeys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How the record of what a stack deployed ({@link DeployedShape}) is kept in its annotation of the {@code default}
 * Namespace ({@link DeploymentMarker}): its JSON gzipped, in base64, after {@link #COMPRESSED}.
 *
 * <p>All the annotations of one object together may hold at most 256 KiB, counting the bytes of every key and value
 * (kubernetes/apimachinery v0.27.2, the version pulumi-kubernetes v4.0.0 builds with,
 * pkg/api/validation/objectmeta.go, TotalAnnotationSizeLimitB, ValidateAnnotationsSize), and every stack of this
 * program on the cluster writes its record on that one Namespace, where others keep annotations too. As plain JSON a
 * record of listed namespaces with names of 63 characters passed that limit alone at about 3,950 namespaces; lists of
 * names compress well (figures: DeploymentRecordSizeTest, docs/operations.md "What other teams can count on").
 */
final class RecordEncoding {

    /** Before a compressed record; a record versions before wrote is plain JSON, which starts with a brace. */
    static final String COMPRESSED = "gzip:";

    /**
     * What one stack's record may take: a quarter of the 256 KiB, so that a few stacks and others' annotations fit
     * beside it.
     */
    static final int BUDGET = 64 * 1024;

    private RecordEncoding() {}

    /** The annotation's value for a record. */
    static String encode(String json) {
        var bytes = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(bytes)) {
            gzip.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException impossible) {
            throw new UncheckedIOException("writing to memory does not fail", impossible);
        }
        return COMPRESSED + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * The record's JSON: decompressed, or as it is when a version before wrote it plain; empty when there is none or
     * it cannot be decompressed.
     */
    static Optional<String> json(String annotation) {
        if (annotation == null || !annotation.startsWith(COMPRESSED)) {
            return Optional.ofNullable(annotation);
        }
        try (var gzip = new GZIPInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(annotation.substring(COMPRESSED.length()))))) {
            return Optional.of(new String(gzip.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException unreadable) {
            // Base64 reports a malformed value with an IllegalArgumentException, gzip with an IOException.
            return Optional.empty();
        }
    }

    /**
     * Why a record cannot be written: compressed, it is over {@link #BUDGET}. Refused at preview, since the API server
     * would refuse the record's patch in the middle of the update ("metadata.annotations: Too long").
     */
    static Optional<String> refusal(String json) {
        var size = encode(json).length();
        if (size <= BUDGET) {
            return Optional.empty();
        }
        return Optional.of("the record of what this stack deploys, which it keeps in an annotation of the `default`"
                + " Namespace for its next update, would be " + size + " bytes compressed, more than the " + BUDGET
                + " one stack may take there (Kubernetes allows 262144 bytes for all the annotations of one object,"
                + " shared by every stack of this program on the cluster): list fewer or shorter names in "
                + ConfigKeys.key("namespaces") + ", " + ConfigKeys.key("excludeNamespaces") + " or "
                + ConfigKeys.key("serviceAccounts")
                + ", or cover that many namespaces cluster-wide (`pulumi config set "
                + ConfigKeys.key("allNamespaces") + " true`).");
    }
}
