package registrypullaccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.StringJoiner;

/** Files under src/test/resources/golden, made by kubectl with regenerate.sh there. */
public final class Golden {

    private Golden() {}

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

    /**
     * What kubectl would write for several servers at once: the {@code auths} entries of single-server
     * golden files (given in server order), side by side in one docker config.
     */
    public static String combined(String... files) {
        var entries = new StringJoiner(",", "{\"auths\":{", "}}");
        for (var file : files) {
            var json = read(file);
            entries.add(json.substring("{\"auths\":{".length(), json.length() - "}}".length()));
        }
        return entries.toString();
    }
}
