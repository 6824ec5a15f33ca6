package dev.etcddiscovery.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a real etcd for the annotated test class: started before the first test, removed after the last.
 * Test methods, constructors and {@code @BeforeAll} methods can take an {@link EtcdCluster} parameter. In a
 * {@code @SpringBootTest} with the etcd-discovery starter, the context has an {@code EtcdConnectionDetails} bean
 * for it, which takes the place of the {@code etcd.discovery.*} connection properties (endpoints, credentials,
 * TLS); without the starter, {@code etcd.discovery.endpoints} points to it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EtcdExtension.class)
public @interface EtcdTest {

    /** Number of etcd members. */
    int members() default 1;
}
