package dev.etcddiscovery.spring;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;

/**
 * With {@code etcd.discovery.fail-fast=true}: asks etcd for its member list once while the context starts, bounded
 * by the request timeout (jetcd calls otherwise wait for etcd forever), and fails the start when it does not answer.
 */
class EtcdStartupCheck implements InitializingBean {

    private static final Logger logger = LoggerFactory.getLogger(EtcdStartupCheck.class);

    private final Client client;

    private final EtcdDiscoveryProperties properties;

    EtcdStartupCheck(Client client, EtcdDiscoveryProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        Duration timeout = this.properties.getRequestTimeout();
        try {
            int members = this.client.getClusterClient()
                .listMember()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get()
                .getMembers()
                .size();
            logger.info("etcd at {} answered at startup ({} members)", this.properties.getEndpoints(), members);
        }
        catch (ExecutionException | CompletionException ex) {
            throw new EtcdUnavailableException(this.properties.getEndpoints(), timeout,
                    (ex.getCause() != null) ? ex.getCause() : ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EtcdUnavailableException(this.properties.getEndpoints(), timeout, ex);
        }
    }
}
