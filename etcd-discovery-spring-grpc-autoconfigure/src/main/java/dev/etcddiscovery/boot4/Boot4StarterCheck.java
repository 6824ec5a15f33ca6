package dev.etcddiscovery.boot4;

import java.util.function.Supplier;

import dev.etcddiscovery.spring.BootGenerationCheck;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Stops the start with a failure report ({@link WrongBootGenerationFailureAnalyzer}) when this Boot 4.1 line runs on
 * an older Spring Boot: Spring gRPC needs Boot 4, and the failure it would cause later names none of this. Registered
 * in {@code spring.factories}, so it runs before any auto-configuration.
 */
public class Boot4StarterCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final BootGenerationCheck CHECK = new BootGenerationCheck("etcd-discovery-spring-grpc-starter", 4,
            "etcd-discovery-starter (grpc-spring, Boot 3.5)");

    private final Supplier<String> runningBootVersion;

    public Boot4StarterCheck() {
        this(SpringBootVersion::getVersion);
    }

    Boot4StarterCheck(Supplier<String> runningBootVersion) {
        this.runningBootVersion = runningBootVersion;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String mismatch = CHECK.mismatch(this.runningBootVersion.get());
        if (mismatch != null) {
            throw new WrongBootGenerationException(mismatch);
        }
    }

    /** This line runs on a Spring Boot generation it does not serve; the message says which starter does. */
    static class WrongBootGenerationException extends IllegalStateException {

        WrongBootGenerationException(String mismatch) {
            super(mismatch);
        }
    }
}
