package dev.etcddiscovery.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports that etcd did not answer at startup with {@code etcd.discovery.fail-fast=true}. */
class EtcdUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<EtcdUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EtcdUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage() + ". With etcd.discovery.fail-fast=true this stops the start.",
                "Start etcd or correct etcd.discovery.endpoints, TLS and credentials; or set "
                        + "etcd.discovery.fail-fast=false to start without etcd (registration and resolution then "
                        + "retry in the background).",
                cause);
    }
}
