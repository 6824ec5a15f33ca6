package dev.etcddiscovery.sample.dev;

import java.net.URI;

import dev.etcddiscovery.spring.EtcdConnectionDetails;
import dev.etcddiscovery.test.EtcdCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A local etcd while developing (Spring Boot's {@code spring-boot:test-run}): a real etcd process of the test kit on
 * a free loopback port, no Docker, started with the application and stopped when it stops; the application connects
 * to it through the {@link EtcdConnectionDetails} bean, whatever {@code etcd.discovery.endpoints} says. Both
 * samples' {@code TestSampleApplication} use it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DevEtcdConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(DevEtcdConfiguration.class);

    /** Closed after the etcd client and the registration, which depend on it through the connection details. */
    @Bean(destroyMethod = "close")
    EtcdCluster devEtcd() {
        EtcdCluster etcd = EtcdCluster.start();
        logger.info("Development etcd at {} (etcdctl --endpoints={} get --prefix '')", etcd.endpointList(),
                etcd.endpointList());
        return etcd;
    }

    @Bean
    EtcdConnectionDetails devEtcdConnectionDetails(EtcdCluster devEtcd) {
        return EtcdConnectionDetails.of(devEtcd.endpoints().stream().map(URI::create).toList());
    }
}
