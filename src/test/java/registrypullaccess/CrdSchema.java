package registrypullaccess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks an object we declare against the structural schema of the pinned operator's CRD: types, required
 * fields, enums, and no field the CRD does not have. The schemas in {@code src/test/resources/crd/} are our
 * own transcriptions of the fields this program uses, read from the pinned release's CRD (each file names
 * its source), with descriptions left out and {@code additionalProperties: false} where the CRD prunes
 * unknown fields, so a misspelt field fails here instead of being dropped by the API server.
 */
public final class CrdSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CrdSchema() {}

    /** The problems of an object (apiVersion, kind, metadata, spec) against {@code crd/NAME.schema.json}. */
    public static List<String> problems(String name, Map<String, Object> object) {
        var resource = "/crd/" + name + ".schema.json";
        try (InputStream in = Objects.requireNonNull(CrdSchema.class.getResourceAsStream(resource), resource)) {
            var schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
            var document = JSON.readTree(new Gson().toJson(wholeNumbersAsIntegers(object)));
            return schema.validate(document).stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inputs travel as protobuf numbers, all doubles; Kubernetes' integers are whole numbers. */
    private static Object wholeNumbersAsIntegers(Object value) {
        if (value instanceof Map<?, ?> map) {
            var copy = new LinkedHashMap<String, Object>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), wholeNumbersAsIntegers(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CrdSchema::wholeNumbersAsIntegers).toList();
        }
        if (value instanceof Double number && number == Math.rint(number)) {
            return number.longValue();
        }
        return value;
    }
}
