package dev.etcddiscovery.resolver;

/**
 * A value under a service prefix that cannot be used as an endpoint. The message names the key and what is wrong.
 */
final class InvalidEndpointException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidEndpointException(String key, String problem) {
        super("Skipping etcd key '" + key + "': " + problem);
    }
}
