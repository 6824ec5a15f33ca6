package dev.etcddiscovery.spring;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

/**
 * The Boot line these tests run on: this module's tests are run by each line's module (Boot 3.5 + grpc-spring,
 * Boot 4.1 + Spring gRPC), and find that line's auto-configurations where Spring Boot finds them, in the line's
 * {@code AutoConfiguration.imports}. Boot's own classes that moved between the generations are found by either name.
 */
public final class TestLine {

    private static final List<String> OURS = StreamSupport
        .stream(ImportCandidates.load(AutoConfiguration.class, TestLine.class.getClassLoader()).spliterator(), false)
        .filter((name) -> name.startsWith("dev.etcddiscovery."))
        .toList();

    public static final Class<?> RESOLVER = ours("EtcdResolverAutoConfiguration");

    public static final Class<?> REGISTRATION = ours("EtcdRegistrationAutoConfiguration");

    public static final Class<?> HEALTH = ours("EtcdHealthAutoConfiguration");

    public static final Class<?> METRICS = ours("EtcdMetricsAutoConfiguration");

    public static final Class<?> CLOUD_HEALTH = ours("EtcdCloudHealthAutoConfiguration");

    /** Boot's {@code MetricsAutoConfiguration}: actuator's package on Boot 3.5, spring-boot-micrometer-metrics' on 4. */
    public static final Class<?> BOOT_METRICS = boots("org.springframework.boot.actuate.autoconfigure.metrics",
            "org.springframework.boot.micrometer.metrics.autoconfigure", "MetricsAutoConfiguration");

    /** Boot's {@code SimpleMetricsExportAutoConfiguration}, on either generation. */
    public static final Class<?> BOOT_SIMPLE_METRICS_EXPORT = boots(
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple",
            "SimpleMetricsExportAutoConfiguration");

    private TestLine() {
    }

    /** A class of the line's own package, such as its {@code EtcdCloudDiscoveryHealthIndicator}. */
    public static Class<?> lineClass(String simpleName) {
        return load(RESOLVER.getPackageName() + "." + simpleName);
    }

    /** The status code and details of a Boot {@code HealthIndicator} of either generation (same method names). */
    public static HealthOutcome health(Object indicator) {
        try {
            // through Boot's public interface: the indicator may be a lambda, whose own class is not accessible
            Object health = healthMethod(indicator).invoke(indicator);
            Object status = health.getClass().getMethod("getStatus").invoke(health);
            String code = (String) status.getClass().getMethod("getCode").invoke(status);
            Method details = health.getClass().getMethod("getDetails");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) details.invoke(health);
            return new HealthOutcome(code, map);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(indicator.getClass() + " is not a Boot HealthIndicator", ex);
        }
    }

    private static Method healthMethod(Object indicator) throws NoSuchMethodException {
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(indicator.getClass())) {
            if (type.getSimpleName().equals("HealthIndicator")) {
                return type.getMethod("health");
            }
        }
        throw new NoSuchMethodException(indicator.getClass() + " implements no HealthIndicator");
    }

    private static Class<?> ours(String simpleName) {
        List<String> named = OURS.stream().filter((name) -> name.endsWith("." + simpleName)).toList();
        if (named.size() != 1) {
            throw new IllegalStateException("Expected one " + simpleName + " in the AutoConfiguration.imports on the "
                    + "class path (this test runs in a line's module), found " + named + " among " + OURS);
        }
        return load(named.get(0));
    }

    private static Class<?> boots(String boot3Package, String boot4Package, String simpleName) {
        for (String pkg : List.of(boot3Package, boot4Package)) {
            String name = pkg + "." + simpleName;
            if (ClassUtils.isPresent(name, TestLine.class.getClassLoader())) {
                return load(name);
            }
        }
        throw new IllegalStateException(simpleName + " is in neither " + boot3Package + " nor " + boot4Package);
    }

    private static Class<?> load(String name) {
        try {
            return ClassUtils.forName(name, TestLine.class.getClassLoader());
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(name + " is not on the class path", ex);
        }
    }

    /** A health check's outcome: Boot's status code ("UP", "DOWN") and its details. */
    public record HealthOutcome(String status, Map<String, Object> details) {
    }
}
