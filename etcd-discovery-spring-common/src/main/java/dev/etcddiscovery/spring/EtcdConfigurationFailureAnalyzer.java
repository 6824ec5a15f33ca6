package dev.etcddiscovery.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@code etcd.discovery.*} value that cannot be used (unknown SSL bundle, unreadable PEM). */
class EtcdConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<EtcdConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EtcdConfigurationException cause) {
        String description = cause.getMessage()
                + ((cause.getCause() != null) ? ": " + cause.getCause().getMessage() : "") + ".";
        return new FailureAnalysis(description,
                "Fix " + cause.getProperty() + " (see docs/configuration.md of etcd-discovery).",
                cause);
    }
}
