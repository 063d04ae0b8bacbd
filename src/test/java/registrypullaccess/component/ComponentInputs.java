package registrypullaccess.component;

import com.pulumi.provider.internal.properties.PropertyValue;
import registrypullaccess.settings.ConfigKeys;
import registrypullaccess.settings.ConfigSource;
import registrypullaccess.settings.InvalidSettingsException;
import registrypullaccess.settings.Settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** A Construct's inputs for {@code PullAccess}, as a program in another language passes them. */
final class ComponentInputs {

    private ComponentInputs() {}

    static Map<String, PropertyValue> inputs(Object... namesAndValues) {
        var inputs = new LinkedHashMap<String, PropertyValue>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            inputs.put((String) namesAndValues[i], (PropertyValue) namesAndValues[i + 1]);
        }
        return inputs;
    }

    static PropertyValue strings(String... values) {
        return PropertyValue.of(List.of(values).stream().map(PropertyValue::of).toList());
    }

    /** eu.gcr.io in project acme-dev, and the inputs given. */
    static Map<String, PropertyValue> euGcrIoInAcmeDev(Object... more) {
        var inputs = inputs("gcpProject", PropertyValue.of("acme-dev"), "registries", strings("eu.gcr.io"));
        inputs.putAll(inputs(more));
        return inputs;
    }

    /** Inputs with two problems: a namespace name that is not one, and a negative rotation period. */
    static Map<String, PropertyValue> twoProblems() {
        return euGcrIoInAcmeDev("namespaces", strings("Team-A"), "keyRotationDays", PropertyValue.of(-1));
    }

    /** How the stack refuses the same settings as {@link #twoProblems()}, read from its configuration. */
    static InvalidSettingsException twoProblemsRefusedByTheStack() {
        return assertThrows(
                InvalidSettingsException.class,
                () -> Settings.fromConfig(ConfigSource.of(
                        Map.of(
                                "gcp:project",
                                "acme-dev",
                                ConfigKeys.key("registries"),
                                "[\"eu.gcr.io\"]",
                                ConfigKeys.key("namespaces"),
                                "[\"Team-A\"]",
                                ConfigKeys.key("keyRotationDays"),
                                "-1"),
                        Set.of())));
    }
}
