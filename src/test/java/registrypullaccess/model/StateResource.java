package registrypullaccess.model;

import registrypullaccess.offline.DeclaredResource;

/**
 * A resource in the stack's state after an update: what it was declared with, and whether its last step left it
 * with initialization errors (a pull check Job that failed).
 */
record StateResource(DeclaredResource declared, boolean initError) {
    String urn() {
        return declared.urn();
    }
}
