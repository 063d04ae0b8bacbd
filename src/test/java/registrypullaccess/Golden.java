package registrypullaccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Files under src/test/resources/golden, made by kubectl with regenerate.sh there. */
public final class Golden {

    private Golden() {
    }

    public static String read(String name) {
        try (var in = Objects.requireNonNull(Golden.class.getResourceAsStream("/golden/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key file as "$(cat key.json)" passes it to kubectl: without its final newline. */
    public static String keyJson() {
        return read("key.json").stripTrailing();
    }
}
