package registrypullaccess.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import org.junit.jupiter.api.Test;
import registrypullaccess.access.PullAccess;
import registrypullaccess.settings.ConfigKeys;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package schema the provider serves ({@link PackageSchema}, printed by its main) against Pulumi's package
 * metaschema: {@code src/test/resources/pulumi/pulumi.json} is {@code pkg/codegen/schema/pulumi.json} of
 * github.com/pulumi/pulumi at tag v3.253.0, unchanged.
 */
class PackageSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String served() {
        return new PackageProvider(Optional::empty, warning -> {})
                .getSchema(new GetSchemaRequest(0, null, null))
                .join()
                .getSchema();
    }

    private static JsonObject component(JsonObject schema) {
        return schema.getAsJsonObject("resources").getAsJsonObject(PullAccess.TYPE);
    }

    private static List<String> metaschemaProblems(String schema) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                PackageSchemaTest.class.getResourceAsStream("/pulumi/pulumi.json"), "pulumi.json")) {
            JsonSchema metaschema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
            return metaschema.validate(JSON.readTree(schema)).stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .toList();
        }
    }

    @Test
    void isAValidPulumiPackageSchema() throws IOException {
        assertEquals(List.of(), metaschemaProblems(served()));
    }

    @Test
    void theMetaschemaRefusesAPropertyOfAnUnknownType() throws IOException {
        var schema = JsonParser.parseString(served()).getAsJsonObject();
        component(schema)
                .getAsJsonObject("inputProperties")
                .getAsJsonObject("registries")
                .addProperty("type", "text");

        assertNotEquals(List.of(), metaschemaProblems(schema.toString()));
    }

    @Test
    void everyInputHasATypeAndADescription() {
        var inputs =
                component(JsonParser.parseString(served()).getAsJsonObject()).getAsJsonObject("inputProperties");

        inputs.entrySet().forEach(input -> {
            var property = input.getValue().getAsJsonObject();
            assertTrue(property.has("type") || property.has("$ref"), input.getKey() + " has a type");
            assertTrue(
                    property.has("description")
                            && !property.get("description").getAsString().isBlank(),
                    input.getKey() + " has a description");
        });
    }

    @Test
    void theInputsAreTheStacksConfigurationKeysAndTheProject() {
        var inputs = component(JsonParser.parseString(served()).getAsJsonObject())
                .getAsJsonObject("inputProperties")
                .keySet();

        // keyless is deprecated (credentials node says it); a new API does not offer it.
        assertEquals(
                new TreeSet<>(Stream.concat(
                                ConfigKeys.KNOWN.stream().filter(key -> !key.equals("keyless")),
                                Stream.of("gcpProject"))
                        .toList()),
                new TreeSet<>(inputs));
        assertEquals(
                "Name of the docker-registry Secret created in every namespace.",
                component(JsonParser.parseString(served()).getAsJsonObject())
                        .getAsJsonObject("inputProperties")
                        .getAsJsonObject("secretName")
                        .get("description")
                        .getAsString(),
                "a key's input says what Pulumi.yaml says of the key");
    }

    @Test
    void everyOutputIsTypedAndDescribed() {
        var outputs =
                component(JsonParser.parseString(served()).getAsJsonObject()).getAsJsonObject("properties");

        assertTrue(outputs.has("serviceAccountEmail") && outputs.has("registryHosts"), outputs::toString);
        outputs.entrySet().forEach(output -> {
            var property = output.getValue().getAsJsonObject();
            assertTrue(property.has("type"), output.getKey() + " has a type");
            assertTrue(property.has("description"), output.getKey() + " has a description");
        });
    }

    @Test
    void anotherRegistrysPasswordIsASecret() {
        var password = JsonParser.parseString(served())
                .getAsJsonObject()
                .getAsJsonObject("types")
                .getAsJsonObject(PackageSchema.OTHER_REGISTRY)
                .getAsJsonObject("properties")
                .getAsJsonObject("password");

        assertTrue(password.get("secret").getAsBoolean());
        assertTrue(!password.has("plain"), "an input that takes an output, so that a secret stays one");
    }
}
