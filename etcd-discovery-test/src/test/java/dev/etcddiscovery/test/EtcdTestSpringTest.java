package dev.etcddiscovery.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@EtcdTest
@SpringJUnitConfig(EtcdTestSpringTest.Empty.class)
class EtcdTestSpringTest {

    @Autowired
    private Environment environment;

    @Test
    void springContextSeesTheEndpointsOfTheClassEtcd(EtcdCluster etcd) {
        assertThat(etcd.members().get(0).isRunning()).isTrue();
        assertThat(this.environment.getProperty("etcd.discovery.endpoints")).isEqualTo(etcd.endpointList());
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {

    }
}
