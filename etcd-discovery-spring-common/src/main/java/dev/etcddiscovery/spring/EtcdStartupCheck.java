package dev.etcddiscovery.spring;

import java.net.URI;
import java.time.Duration;
import java.util.List;
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

    private final List<URI> endpoints;

    private final Duration timeout;

    EtcdStartupCheck(Client client, List<URI> endpoints, Duration timeout) {
        this.client = client;
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            int members = this.client.getClusterClient()
                .listMember()
                .orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get()
                .getMembers()
                .size();
            logger.info("etcd at {} answered at startup ({} members)", this.endpoints, members);
        }
        catch (ExecutionException | CompletionException ex) {
            throw new EtcdUnavailableException(this.endpoints, this.timeout,
                    (ex.getCause() != null) ? ex.getCause() : ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EtcdUnavailableException(this.endpoints, this.timeout, ex);
        }
    }
}
