package dev.etcddiscovery;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * Recognises the property keys whose values are etcd secrets: {@code etcd.discovery.password},
 * {@code etcd.discovery.ssl.private-key}, and the private keys and passwords of the SSL bundle that
 * {@code etcd.discovery.ssl.bundle} names (Boot's endpoints show those when values are shown). Keys come in the dashed
 * form of /actuator/env or the camel case of /actuator/configprops; both are compared without dashes or case.
 */
final class EtcdSecretKeys implements Predicate<String> {

    private static final String PASSWORD = EtcdDiscoveryProperties.PREFIX + ".password";

    private static final String PRIVATE_KEY = EtcdDiscoveryProperties.PREFIX + ".ssl.privatekey";

    private final String bundlePem;

    private final String bundleJks;

    EtcdSecretKeys(String bundle) {
        String name = (bundle != null && !bundle.isBlank()) ? normalize(bundle) : null;
        this.bundlePem = (name != null) ? "spring.ssl.bundle.pem." + name + "." : null;
        this.bundleJks = (name != null) ? "spring.ssl.bundle.jks." + name + "." : null;
    }

    @Override
    public boolean test(String key) {
        String normalized = normalize(key);
        if (normalized.equals(PASSWORD) || normalized.equals(PRIVATE_KEY)) {
            return true;
        }
        boolean inBundle = this.bundlePem != null
                && (normalized.startsWith(this.bundlePem) || normalized.startsWith(this.bundleJks));
        return inBundle && (normalized.endsWith("privatekey") || normalized.endsWith("password"));
    }

    private static String normalize(String key) {
        return key.replace("-", "").toLowerCase(Locale.ROOT);
    }
}
