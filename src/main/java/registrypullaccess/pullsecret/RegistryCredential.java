package registrypullaccess.pullsecret;

import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code auths} entry of a docker config holds. The password is key material: it is never
 * printed, so a credential that ends up in a log or an exception message gives nothing away.
 */
public record RegistryCredential(String username, String password, Optional<String> email) {

    /** The username Google's registries expect when the password is a service account's JSON key. */
    public static final String JSON_KEY_USERNAME = "_json_key";

    public RegistryCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(email, "email");
    }

    public static RegistryCredential jsonKey(String keyJson, Optional<String> email) {
        return new RegistryCredential(JSON_KEY_USERNAME, keyJson, email);
    }

    @Override
    public String toString() {
        return "RegistryCredential[username=" + username + ", password=****, email=" + email.orElse("") + "]";
    }
}
