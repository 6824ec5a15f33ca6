package dev.etcddiscovery.architecture;

import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.etcddiscovery.resolver.ServiceDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core's shape: no Spring, the resolver and the registration apart, and its public API written out in one list,
 * so that a change of the API shows as a change of this file.
 */
class CoreArchitectureTest {

    /** Packages whose types are never part of a public signature outside {@code dev.etcddiscovery.internal}. */
    private static final List<String> INTERNAL_PACKAGES = List.of("io.grpc.internal", "io.etcd.jetcd.impl",
            "io.etcd.jetcd.api", "dev.etcddiscovery.internal");

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        // core's own classes (its jar or classes directory), not the test kit's or a Spring module's: this test also
        // runs from the Boot 4.1 module, where the working directory is that module's
        core = new ClassFileImporter()
            .importUrl(ServiceDirectory.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @Test
    void coreIsSpringFree() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(core);
    }

    @Test
    void resolverAndRegistrationDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("dev.etcddiscovery.resolver..")
            .should().dependOnClassesThat().resideInAPackage("dev.etcddiscovery.registration..")
            .check(core);
        noClasses().that().resideInAPackage("dev.etcddiscovery.registration..")
            .should().dependOnClassesThat().resideInAPackage("dev.etcddiscovery.resolver..")
            .check(core);
    }

    @Test
    void publicTypes() {
        List<String> publicTypes = core.stream().filter(CoreArchitectureTest::isPublic).map(JavaClass::getName)
            .sorted().toList();
        assertThat(publicTypes).containsExactly(
                "dev.etcddiscovery.internal.EndpointMetadata",
                "dev.etcddiscovery.internal.EndpointValueWriter",
                "dev.etcddiscovery.internal.EtcdFailures",
                "dev.etcddiscovery.internal.EtcdStatusProbe",
                "dev.etcddiscovery.internal.JetcdInternals",
                "dev.etcddiscovery.internal.JetcdInternals$Result",
                "dev.etcddiscovery.internal.LinkProbe",
                "dev.etcddiscovery.internal.MetadataFilter",
                "dev.etcddiscovery.internal.RetryBackoff",
                "dev.etcddiscovery.internal.WatchLiveness",
                "dev.etcddiscovery.internal.WatchLiveness$Verdict",
                "dev.etcddiscovery.jetcd.EtcdReconnectPacer",
                "dev.etcddiscovery.jetcd.MultiplexedWatch",
                "dev.etcddiscovery.registration.EndpointRegistration",
                "dev.etcddiscovery.registration.EtcdServiceRegistry",
                "dev.etcddiscovery.registration.EtcdServiceRegistry$Builder",
                "dev.etcddiscovery.registration.HostAddressDetector",
                "dev.etcddiscovery.registration.MetadataEncoding",
                "dev.etcddiscovery.registration.RegistrationHandle",
                "dev.etcddiscovery.registration.RegistrationSnapshot",
                "dev.etcddiscovery.registration.RegistrationState",
                "dev.etcddiscovery.registration.RegistrationStatus",
                "dev.etcddiscovery.registration.ServerRegistrationLifecycle",
                "dev.etcddiscovery.resolver.AllowedNetworks",
                "dev.etcddiscovery.resolver.EtcdAttributes",
                "dev.etcddiscovery.resolver.EtcdNameResolverProvider",
                "dev.etcddiscovery.resolver.FollowedPrefix",
                "dev.etcddiscovery.resolver.HostResolver",
                "dev.etcddiscovery.resolver.ServiceDirectory",
                "dev.etcddiscovery.resolver.ServiceDirectory$Builder",
                "dev.etcddiscovery.resolver.WatchSnapshot",
                "dev.etcddiscovery.routing.EtcdRoutingLoadBalancerProvider");
    }

    @Test
    void publicSignaturesOutsideInternalUseNoInternalTypes() {
        classes().that(DescribedPredicate.describe("are public API", CoreArchitectureTest::isApi))
            .should(new ArchCondition<JavaClass>("expose no type of " + INTERNAL_PACKAGES) {
                @Override
                public void check(JavaClass type, ConditionEvents events) {
                    signatureTypes(type).filter(CoreArchitectureTest::isInternal).distinct()
                        .forEach((internal) -> events.add(SimpleConditionEvent.violated(type,
                                type.getName() + " exposes " + internal.getName())));
                }
            })
            .check(core);
    }

    private static Stream<JavaClass> signatureTypes(JavaClass type) {
        Stream<JavaClass> methods = type.getMethods().stream()
            .filter((method) -> method.getModifiers().contains(JavaModifier.PUBLIC))
            .flatMap((method) -> Stream.concat(Stream.of(method.getRawReturnType()),
                    method.getRawParameterTypes().stream()));
        Stream<JavaClass> constructors = type.getConstructors().stream()
            .filter((constructor) -> constructor.getModifiers().contains(JavaModifier.PUBLIC))
            .flatMap((constructor) -> constructor.getRawParameterTypes().stream());
        Stream<JavaClass> fields = type.getFields().stream()
            .filter((field) -> field.getModifiers().contains(JavaModifier.PUBLIC))
            .map((field) -> field.getRawType());
        return Stream.of(methods, constructors, fields).flatMap((types) -> types);
    }

    private static boolean isInternal(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        return INTERNAL_PACKAGES.stream().anyMatch((pkg) -> base.getPackageName().equals(pkg));
    }

    private static boolean isApi(JavaClass type) {
        return isPublic(type) && !type.getPackageName().equals("dev.etcddiscovery.internal");
    }

    /** Public, and so is every class it is nested in. */
    private static boolean isPublic(JavaClass type) {
        return type.getModifiers().contains(JavaModifier.PUBLIC)
                && type.getEnclosingClass().map(CoreArchitectureTest::isPublic).orElse(true);
    }
}
