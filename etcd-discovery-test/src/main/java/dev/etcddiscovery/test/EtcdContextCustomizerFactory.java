package dev.etcddiscovery.test;

import java.util.List;

import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Points {@code etcd.discovery.endpoints} of a Spring test context at the etcd that {@link EtcdTest} runs for the
 * test class. The value is looked up when the context reads it, after the extension has started etcd.
 */
class EtcdContextCustomizerFactory implements ContextCustomizerFactory {

    static final String ENDPOINTS_PROPERTY = "etcd.discovery.endpoints";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        if (!TestContextAnnotationUtils.hasAnnotation(testClass, EtcdTest.class)) {
            return null;
        }
        return new EtcdContextCustomizer(testClass);
    }

    /** One per test class, so a context is never shared between classes that run different etcds. */
    private record EtcdContextCustomizer(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(org.springframework.context.ConfigurableApplicationContext context,
                org.springframework.test.context.MergedContextConfiguration mergedConfig) {
            context.getEnvironment().getPropertySources().addFirst(new EndpointsPropertySource(this.testClass));
        }
    }

    private static final class EndpointsPropertySource extends EnumerablePropertySource<Class<?>> {

        EndpointsPropertySource(Class<?> testClass) {
            super("etcdTest", testClass);
        }

        @Override
        public String[] getPropertyNames() {
            return new String[] { ENDPOINTS_PROPERTY };
        }

        @Override
        public Object getProperty(String name) {
            if (!ENDPOINTS_PROPERTY.equals(name)) {
                return null;
            }
            return EtcdExtension.runningFor(getSource())
                .orElseThrow(() -> new IllegalStateException("etcd is not running for " + getSource().getName()))
                .endpointList();
        }
    }
}
