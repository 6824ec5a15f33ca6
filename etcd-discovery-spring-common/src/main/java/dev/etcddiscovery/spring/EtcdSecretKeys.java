package dev.etcddiscovery.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Recognises the keys whose values are etcd secrets: {@code etcd.discovery.password},
 * {@code etcd.discovery.ssl.private-key}, and the private keys and passwords of the SSL bundle that
 * {@code etcd.discovery.ssl.bundle} names; in every form Spring Boot binds them from. Names are compared the way
 * Boot binds them (dashed, camel case, any case), and a key of a property source is a secret when Boot's relaxed
 * binding binds that key to one of the secrets, which covers environment variables ({@code ETCD_DISCOVERY_PASSWORD},
 * {@code ETCD_DISCOVERY_SSL_PRIVATEKEY}, {@code ETCD_DISCOVERY_SSL_PRIVATE_KEY}), system properties and command-line
 * arguments.
 */
final class EtcdSecretKeys {

    private static final List<ConfigurationPropertyName> SECRETS = List.of(
            ConfigurationPropertyName.of(EtcdDiscoveryProperties.PREFIX + ".password"),
            ConfigurationPropertyName.of(EtcdDiscoveryProperties.PREFIX + ".ssl.private-key"));

    /** Where a bundle keeps secrets, as {@code <store type>.<bundle>.<suffix>} under {@code spring.ssl.bundle}. */
    private static final List<String> BUNDLE_SECRETS = List.of("pem.%s.keystore.private-key",
            "pem.%s.keystore.private-key-password", "pem.%s.truststore.private-key",
            "pem.%s.truststore.private-key-password", "jks.%s.keystore.password", "jks.%s.truststore.password",
            "jks.%s.key.password");

    private final List<ConfigurationPropertyName> secrets = new ArrayList<>(SECRETS);

    private final List<ConfigurationPropertyName> bundles = new ArrayList<>();

    EtcdSecretKeys(String bundle) {
        if (bundle == null || bundle.isBlank() || !ConfigurationPropertyName.isValid("x." + bundle)) {
            return;
        }
        for (String store : List.of("pem", "jks")) {
            this.bundles.add(ConfigurationPropertyName.of("spring.ssl.bundle." + store + "." + bundle));
        }
        for (String secret : BUNDLE_SECRETS) {
            this.secrets.add(ConfigurationPropertyName.of("spring.ssl.bundle." + secret.formatted(bundle)));
        }
    }

    /**
     * Whether {@code key} holds a secret: asks Boot's relaxed binding which names the key alone binds to, in a
     * property source of the same kind as the one it comes from (environment variables are mapped their own way).
     * @param source the property source of the key, or null when the key is a property name (/actuator/configprops)
     */
    boolean isSecret(PropertySource<?> source, String key) {
        if (key == null || !mayBeSecret(key)) {
            return false;
        }
        String sourceName = (source != null) ? source.getName() : "properties";
        Map<String, Object> alone = Map.of(key, "");
        PropertySource<?> keyAlone = (source instanceof SystemEnvironmentPropertySource)
                ? new SystemEnvironmentPropertySource(sourceName, alone) : new MapPropertySource(sourceName, alone);
        ConfigurationPropertySource properties = ConfigurationPropertySource.from(keyAlone);
        if (properties == null) {
            return false;
        }
        boolean bindsToSecret = this.secrets.stream()
            .anyMatch((secret) -> properties.getConfigurationProperty(secret) != null);
        return bindsToSecret || (properties instanceof IterableConfigurationPropertySource names
                && names.stream().anyMatch(this::isSecret));
    }

    /** Whether {@code name} is a secret; names of the bundle's other stores count when they end like a secret. */
    boolean isSecret(ConfigurationPropertyName name) {
        if (this.secrets.contains(name)) {
            return true;
        }
        boolean inBundle = this.bundles.stream().anyMatch((bundle) -> bundle.isAncestorOf(name));
        String last = inBundle ? name.getLastElement(Form.UNIFORM) : "";
        return last.endsWith("privatekey") || last.endsWith("password");
    }

    /** Cheap first test: every form of every secret name ends in "password" or "private key" with separators. */
    private static boolean mayBeSecret(String key) {
        String letters = key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        return letters.endsWith("password") || letters.endsWith("privatekey");
    }
}
