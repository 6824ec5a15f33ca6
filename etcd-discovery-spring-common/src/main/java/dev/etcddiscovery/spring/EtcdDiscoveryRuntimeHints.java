package dev.etcddiscovery.spring;

import java.util.List;

import dev.etcddiscovery.internal.EndpointValueWriter;
import dev.etcddiscovery.internal.JetcdInternals;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What a native image (or any run of Spring's AOT output on GraalVM) must know that the starter reaches by reflection:
 * core's {@link JetcdInternals} (jetcd's channel, builder and auth token), the JSON value of a registration that
 * Jackson writes, and the binding of {@code etcd.discovery.*}. Core has no Spring, so its hints are registered here;
 * Spring loads this class from {@code META-INF/spring/aot.factories}. The etcdregistration endpoint's responses are
 * left to Spring Boot, which registers binding hints for every endpoint operation's return type.
 */
class EtcdDiscoveryRuntimeHints implements RuntimeHintsRegistrar {

    /** The record Jackson writes as {@code {"Op":0,"Addr":...,"Metadata":...}}; private to its writer. */
    static final String ENDPOINT_VALUE_TYPE = EndpointValueWriter.class.getName() + "$EndpointValue";

    private static final String JETCD_CLIENT_TYPE = "io.etcd.jetcd.impl.ClientImpl";

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        BindableRuntimeHintsRegistrar.forTypes(EtcdDiscoveryProperties.class).registerHints(hints, classLoader);
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
                ClassUtils.resolveClassName(ENDPOINT_VALUE_TYPE, classLoader));
        if (ClassUtils.isPresent(JETCD_CLIENT_TYPE, classLoader)) {
            registerJetcdInternals(hints);
        }
    }

    private static void registerJetcdInternals(RuntimeHints hints) {
        hints.reflection()
            .registerType(TypeReference.of(JETCD_CLIENT_TYPE),
                    (type) -> type.withField(JetcdInternals.CONNECTION_MANAGER_FIELD))
            .registerType(TypeReference.of(JetcdInternals.CONNECTION_MANAGER_TYPE), (type) -> {
                for (String method : JetcdInternals.CONNECTION_MANAGER_METHODS) {
                    type.withMethod(method, List.of(), ExecutableMode.INVOKE);
                }
            })
            .registerType(TypeReference.of(JetcdInternals.AUTH_CREDENTIAL_TYPE),
                    (type) -> type.withMethod(JetcdInternals.REFRESH_METHOD, List.of(), ExecutableMode.INVOKE));
    }
}
