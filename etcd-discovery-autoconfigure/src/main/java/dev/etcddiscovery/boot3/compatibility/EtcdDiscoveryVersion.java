package dev.etcddiscovery.boot3.compatibility;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, written into a resource at build time (a jar manifest is lost when jars are merged). */
final class EtcdDiscoveryVersion {

    private static final String RESOURCE = "etcd-discovery.properties";

    private EtcdDiscoveryVersion() {
    }

    /** E.g. {@code 0.1.0}, or null when the resource is missing. */
    static String get() {
        try (InputStream in = EtcdDiscoveryVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
        catch (IOException ex) {
            return null;
        }
    }
}
