package dev.etcddiscovery.spring.registration;

import java.time.Duration;

import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The drain delay, bounded by Spring Boot's shutdown phase timeout. grpc-spring and Spring gRPC both stop their
 * server synchronously (their {@code stop(Runnable)} runs the shutdown event's listeners, then calls back), so
 * Boot's timeout would not cut a longer drain short: the bound is applied here, once, with a warning.
 */
final class DrainDelay {

    private static final Logger logger = LoggerFactory.getLogger(DrainDelay.class);

    static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    /** Boot's default of {@value #PHASE_TIMEOUT}. */
    private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    private DrainDelay() {
    }

    static Duration boundedByShutdownPhase(Duration drainDelay, Environment environment) {
        Duration phaseTimeout = Binder.get(environment).bind(PHASE_TIMEOUT, Duration.class).orElse(DEFAULT_PHASE_TIMEOUT);
        if (drainDelay.compareTo(phaseTimeout) > 0) {
            logger.warn("{}.registration.drain-delay={} is longer than {}={}; draining for {} only",
                    EtcdDiscoveryProperties.PREFIX, drainDelay, PHASE_TIMEOUT, phaseTimeout, phaseTimeout);
            return phaseTimeout;
        }
        return drainDelay;
    }
}
