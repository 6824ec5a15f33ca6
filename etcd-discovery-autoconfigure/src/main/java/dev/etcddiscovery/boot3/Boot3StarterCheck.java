package dev.etcddiscovery.boot3;

import java.util.function.Supplier;

import dev.etcddiscovery.spring.BootGenerationCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * One WARN at startup when this Boot 3.5 line runs on Spring Boot 4: registration and {@code etcd:///} resolution
 * still work there, but Boot 4 moved the health API, so the {@code etcdDiscovery} health indicator and Spring Cloud's
 * etcd health entry are silently missing. Registered in {@code spring.factories}, so it runs before any
 * auto-configuration could fail.
 */
public class Boot3StarterCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(Boot3StarterCheck.class);

    private static final BootGenerationCheck CHECK = new BootGenerationCheck("etcd-discovery-starter", 3,
            "etcd-discovery-spring-grpc-starter (Spring gRPC, Boot 4.1)");

    private final Supplier<String> runningBootVersion;

    private boolean warned;

    public Boot3StarterCheck() {
        this(SpringBootVersion::getVersion);
    }

    Boot3StarterCheck(Supplier<String> runningBootVersion) {
        this.runningBootVersion = runningBootVersion;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        String mismatch = CHECK.mismatch(this.runningBootVersion.get());
        // a Spring Cloud bootstrap context prepares an environment too: one WARN per listener, not per context
        if (mismatch != null && !this.warned) {
            this.warned = true;
            log.warn("{}. Until then this application has no etcdDiscovery health indicator and no etcd entry in "
                    + "Spring Cloud's discovery health (Boot 4 moved the health API), and its etcd.discovery meters "
                    + "may be missing", mismatch);
        }
    }
}
