package dev.etcddiscovery.spring;

import java.lang.reflect.Method;

import dev.etcddiscovery.internal.JetcdInternals;
import io.etcd.jetcd.impl.ClientImpl;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT hints of {@link EtcdDiscoveryRuntimeHints}, as Spring checks them ({@link RuntimeHintsPredicates}); each
 * hinted member is also looked up in the classes on the class path, so a hint cannot name a member that is not there.
 */
class EtcdDiscoveryRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    EtcdDiscoveryRuntimeHintsTests() {
        new EtcdDiscoveryRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
    }

    @Test
    void springFindsTheRegistrarInAotFactories() {
        assertThat(AotServices.factories(getClass().getClassLoader()).load(RuntimeHintsRegistrar.class))
            .hasAtLeastOneElementOfType(EtcdDiscoveryRuntimeHints.class);
    }

    @Test
    void jetcdInternalsReachedByReflection() throws Exception {
        // the field and methods exist in this jetcd, as hinted
        assertThat(ClientImpl.class.getDeclaredField(JetcdInternals.CONNECTION_MANAGER_FIELD)).isNotNull();
        TypeHint client = this.hints.reflection().getTypeHint(ClientImpl.class);
        assertThat(client).isNotNull();
        assertThat(client.fields()).anyMatch((field) -> field.getName().equals(JetcdInternals.CONNECTION_MANAGER_FIELD));
        for (String method : JetcdInternals.CONNECTION_MANAGER_METHODS) {
            assertInvocable(JetcdInternals.CONNECTION_MANAGER_TYPE, method);
        }
        assertInvocable(JetcdInternals.AUTH_CREDENTIAL_TYPE, JetcdInternals.REFRESH_METHOD);
    }

    @Test
    void theRegistrationValueJacksonWrites() throws Exception {
        Class<?> value = ClassUtils.forName(EtcdDiscoveryRuntimeHints.ENDPOINT_VALUE_TYPE, getClass().getClassLoader());
        assertThat(value.isRecord()).isTrue();
        assertThat(this.reflection.onType(value)).accepts(this.hints);
        for (var component : value.getRecordComponents()) {
            assertThat(this.reflection.onMethod(component.getAccessor()).invoke()).as(component.getName())
                .accepts(this.hints);
        }
    }

    @Test
    void bindingOfTheConfigurationProperties() {
        assertThat(this.reflection.onMethod(EtcdDiscoveryProperties.class, "setEndpoints").invoke())
            .accepts(this.hints);
        assertThat(this.reflection.onMethod(EtcdDiscoveryProperties.Ssl.class, "setPrivateKey").invoke())
            .accepts(this.hints);
        assertThat(this.reflection.onMethod(EtcdDiscoveryProperties.Registration.class, "setTtl").invoke())
            .accepts(this.hints);
        assertThat(this.reflection.onMethod(EtcdDiscoveryProperties.HealthCheck.class, "setServiceName").invoke())
            .accepts(this.hints);
    }

    private void assertInvocable(String type, String name) throws Exception {
        Method method = ClassUtils.forName(type, getClass().getClassLoader()).getDeclaredMethod(name);
        assertThat(this.reflection.onMethod(method).invoke()).as(type + "." + name).accepts(this.hints);
    }
}
