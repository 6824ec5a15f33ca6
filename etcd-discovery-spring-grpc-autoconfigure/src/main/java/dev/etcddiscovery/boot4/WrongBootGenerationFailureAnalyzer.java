package dev.etcddiscovery.boot4;

import dev.etcddiscovery.boot4.Boot4StarterCheck.WrongBootGenerationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports the starter of the wrong Spring Boot generation, and which one to use. */
class WrongBootGenerationFailureAnalyzer extends AbstractFailureAnalyzer<WrongBootGenerationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WrongBootGenerationException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                "Depend on etcd-discovery-starter (with grpc-spring) on Spring Boot 3.5, or move the application to "
                        + "Spring Boot 4.1 (see docs/boot4.md of etcd-discovery).",
                cause);
    }
}
