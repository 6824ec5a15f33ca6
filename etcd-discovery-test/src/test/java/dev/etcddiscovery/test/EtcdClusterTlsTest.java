package dev.etcddiscovery.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdClusterTlsTest {

    @Test
    void mutualTlsMemberServesHttpsAndEtcdctlUsesTheClientCertificate() {
        EtcdCertificates certificates = EtcdCertificates.generate("root");
        try (EtcdCluster etcd = EtcdCluster.builder().tls(certificates).clientCertAuth().start()) {
            assertThat(etcd.endpoint()).startsWith("https://127.0.0.1:");
            assertThat(etcd.members().get(0).isHealthy()).isTrue();
            etcd.etcdctl("put", "greeter/a", "1");
            assertThat(etcd.etcdctl("get", "greeter/a", "--print-value-only")).isEqualTo("1\n");
        }
    }

    @Test
    void etcdctlFailureNamesTheCommandAndOutput() {
        try (EtcdCluster etcd = EtcdCluster.start()) {
            assertThatThrownBy(() -> etcd.etcdctl("role", "get", "missing")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("etcdctl role get missing failed")
                .hasMessageContaining("role name not found");
        }
    }
}
