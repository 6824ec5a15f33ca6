package dev.etcddiscovery.boot3.compatibility;

import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops the start when the class path mixes io.grpc versions, which happens when a build takes jetcd's io.grpc and
 * grpc-spring's from different dependencies (Maven without our BOM). grpc-java's artifacts only work at one version:
 * a mix fails later, when a channel or server is built, with a {@code NoClassDefFoundError}, or works by luck.
 * Running as an {@link EnvironmentPostProcessor}, it comes before any bean, so the start ends with
 * {@link MixedGrpcVersionsFailureAnalyzer}'s report instead.
 */
class GrpcVersionCheck implements EnvironmentPostProcessor {

    static final String ENABLED = "etcd.discovery.grpc-version-check.enabled";

    private final Log logger;

    GrpcVersionCheck(DeferredLogFactory logFactory) {
        this.logger = logFactory.getLog(GrpcVersionCheck.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        if (!binder.bind("etcd.discovery.enabled", Boolean.class).orElse(true)
                || !binder.bind(ENABLED, Boolean.class).orElse(true)) {
            return;
        }
        List<GrpcArtifact> artifacts = GrpcClassPath.artifacts(application.getClassLoader());
        if (this.logger.isDebugEnabled()) {
            this.logger.debug("io.grpc artifacts on the class path: " + artifacts);
        }
        if (artifacts.stream().map(GrpcArtifact::version).distinct().count() > 1) {
            throw new MixedGrpcVersionsException(artifacts);
        }
    }
}
