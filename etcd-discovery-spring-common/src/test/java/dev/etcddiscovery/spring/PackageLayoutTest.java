package dev.etcddiscovery.spring;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.test.EtcdCluster;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout rules of the Spring modules, checked on the class path of each line that runs this test: core, this
 * module and the line's own module.
 */
class PackageLayoutTest {

    /** The jars (or classes directories) of core, this module, the line's module and the test kit. */
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter().importUrls(Stream
        .of(ServiceDirectory.class, EtcdDiscoveryProperties.class, TestLine.RESOLVER, EtcdCluster.class)
        .map((type) -> type.getProtectionDomain().getCodeSource().getLocation())
        .toList());

    @Test
    void eachPackageLivesInExactlyOneJar() {
        Map<String, Set<String>> jarsByPackage = new TreeMap<>();
        for (JavaClass javaClass : MAIN_CLASSES) {
            URI location = javaClass.getSource().orElseThrow().getUri();
            jarsByPackage.computeIfAbsent(javaClass.getPackageName(), (name) -> new TreeSet<>())
                .add(artifactOf(location));
        }
        assertThat(jarsByPackage).isNotEmpty()
            .allSatisfy((pkg, jars) -> assertThat(jars).as("the jars of package %s", pkg).hasSize(1));
    }

    @Test
    void sharedSpringCodeKnowsNoLine() {
        noClasses().that()
            .resideInAPackage("dev.etcddiscovery.spring..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.etcddiscovery.boot3..", "dev.etcddiscovery.boot4..", "net.devh..",
                    "org.springframework.grpc..")
            .check(MAIN_CLASSES);
    }

    @Test
    void theLinesAutoConfigurationsAreSharedOnesOrInTheLinesOwnPackage() {
        List<String> ours = StreamSupport
            .stream(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).spliterator(), false)
            .filter((name) -> name.startsWith("dev.etcddiscovery."))
            .toList();
        Set<String> linePackages = ours.stream()
            .filter((name) -> !name.startsWith("dev.etcddiscovery.spring."))
            .map((name) -> name.substring(0, name.lastIndexOf('.')))
            .collect(Collectors.toSet());
        assertThat(linePackages).as("the line's own auto-configuration packages").hasSize(1);
        assertThat(linePackages.iterator().next()).matches("dev\\.etcddiscovery\\.boot\\d");
    }

    /** The jar (or classes directory) a class comes from, without the path inside it. */
    private static String artifactOf(URI location) {
        String text = location.toString();
        int inJar = text.indexOf("!/");
        if (inJar >= 0) {
            return text.substring(0, inJar);
        }
        int classes = text.indexOf("/classes/");
        return (classes >= 0) ? text.substring(0, classes + "/classes/".length()) : text;
    }
}
