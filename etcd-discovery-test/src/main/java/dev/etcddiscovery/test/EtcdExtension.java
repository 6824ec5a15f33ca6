package dev.etcddiscovery.test;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link EtcdTest}: one etcd per test class. Can also be registered by hand,
 * {@code @RegisterExtension static EtcdExtension etcd = new EtcdExtension(3);}, to reach {@link #cluster()} from
 * static code. When a test fails, the etcd log files are named on standard error.
 */
public class EtcdExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher {

    private static final Map<Class<?>, EtcdCluster> RUNNING = new ConcurrentHashMap<>();

    private final Integer members;

    private EtcdCluster cluster;

    /** Members from {@link EtcdTest#members()}, or one. */
    public EtcdExtension() {
        this.members = null;
    }

    /** A fixed number of members. */
    public EtcdExtension(int members) {
        this.members = members;
    }

    /** The etcd of the running test class. */
    public EtcdCluster cluster() {
        if (this.cluster == null) {
            throw new IllegalStateException("etcd is not running: the extension starts it before all tests of a class");
        }
        return this.cluster;
    }

    /**
     * The etcd that runs for {@code testClass} (or an enclosing class), if any: for extensions of your own that set
     * things up on it before each test.
     */
    public static Optional<EtcdCluster> runningFor(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            EtcdCluster cluster = RUNNING.get(type);
            if (cluster != null) {
                return Optional.of(cluster);
            }
        }
        return Optional.empty();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        if (runningFor(testClass).isPresent()) {
            return;
        }
        int size = (this.members != null) ? this.members : AnnotationSupport
            .findAnnotation(testClass, EtcdTest.class).map(EtcdTest::members).orElse(1);
        this.cluster = EtcdCluster.start(size);
        RUNNING.put(testClass, this.cluster);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EtcdCluster started = RUNNING.remove(context.getRequiredTestClass());
        if (started != null) {
            started.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EtcdCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return runningFor(extensionContext.getRequiredTestClass())
            .orElseThrow(() -> new IllegalStateException("etcd is not running for " + extensionContext.getDisplayName()));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        runningFor(context.getRequiredTestClass())
            .ifPresent((running) -> System.err.println("etcd output of the failed test: " + running.logHint()));
    }
}
