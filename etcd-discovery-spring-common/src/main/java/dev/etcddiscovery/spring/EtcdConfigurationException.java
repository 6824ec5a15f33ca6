package dev.etcddiscovery.spring;

/**
 * A value of {@code etcd.discovery.*} that passed binding but cannot be used (an unknown SSL bundle, an unreadable
 * certificate). The message names the property; it never contains secrets.
 */
public class EtcdConfigurationException extends RuntimeException {

    private final String property;

    EtcdConfigurationException(String property, String problem) {
        this(property, problem, null);
    }

    EtcdConfigurationException(String property, String problem, Throwable cause) {
        super(EtcdDiscoveryProperties.PREFIX + "." + property + " " + problem, cause);
        this.property = EtcdDiscoveryProperties.PREFIX + "." + property;
    }

    /** The property at fault, e.g. {@code etcd.discovery.ssl.bundle}. */
    public String getProperty() {
        return this.property;
    }
}
