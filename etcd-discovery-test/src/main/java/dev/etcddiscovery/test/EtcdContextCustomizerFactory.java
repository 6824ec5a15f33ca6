package dev.etcddiscovery.test;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Connects a Spring test context to the etcd that {@link EtcdTest} runs for the test class. With the etcd-discovery
 * starter on the class path, it adds an {@code EtcdConnectionDetails} bean, which the starter builds its client from
 * in place of the {@code etcd.discovery.*} connection properties (as Spring Boot's {@code @ServiceConnection} does);
 * without it, it sets {@code etcd.discovery.endpoints}. Either is looked up when the context asks, after the
 * extension has started etcd.
 */
class EtcdContextCustomizerFactory implements ContextCustomizerFactory {

    static final String ENDPOINTS_PROPERTY = "etcd.discovery.endpoints";

    static final String CONNECTION_DETAILS_BEAN = "etcdTestConnectionDetails";

    /**
     * The starter's interface, named rather than imported: the starter's own tests use this kit, so the kit cannot
     * depend on it. A test of the starter (EtcdTestConnectionDetailsTests) checks this contract.
     */
    static final String CONNECTION_DETAILS_TYPE = "dev.etcddiscovery.spring.EtcdConnectionDetails";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        if (!TestContextAnnotationUtils.hasAnnotation(testClass, EtcdTest.class)) {
            return null;
        }
        return new EtcdContextCustomizer(testClass);
    }

    private static EtcdCluster runningFor(Class<?> testClass) {
        return EtcdExtension.runningFor(testClass)
            .orElseThrow(() -> new IllegalStateException("etcd is not running for " + testClass.getName()));
    }

    /** One per test class, so a context is never shared between classes that run different etcds. */
    private record EtcdContextCustomizer(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
            ClassLoader classLoader = context.getClassLoader();
            if (ClassUtils.isPresent(CONNECTION_DETAILS_TYPE, classLoader)
                    && context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
                registry.registerBeanDefinition(CONNECTION_DETAILS_BEAN,
                        connectionDetails(ClassUtils.resolveClassName(CONNECTION_DETAILS_TYPE, classLoader)));
            }
            else {
                context.getEnvironment().getPropertySources().addFirst(new EndpointsPropertySource(this.testClass));
            }
        }

        /** {@code EtcdConnectionDetails.of(endpoints)}, called when the context creates the bean. */
        private RootBeanDefinition connectionDetails(Class<?> type) {
            Method of = ClassUtils.getStaticMethod(type, "of", List.class);
            if (of == null) {
                throw new IllegalStateException(type.getName() + " has no of(List<URI>): this etcd-discovery-test "
                        + "does not match the etcd-discovery starter on the class path; use the same version");
            }
            RootBeanDefinition definition = new RootBeanDefinition(type);
            definition.setInstanceSupplier(() -> ReflectionUtils.invokeMethod(of, null, endpoints(this.testClass)));
            return definition;
        }

        private static List<URI> endpoints(Class<?> testClass) {
            return runningFor(testClass).endpoints().stream().map(URI::create).toList();
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
            return ENDPOINTS_PROPERTY.equals(name) ? runningFor(getSource()).endpointList() : null;
        }
    }
}
