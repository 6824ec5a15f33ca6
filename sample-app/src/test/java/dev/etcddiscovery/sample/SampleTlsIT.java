package dev.etcddiscovery.sample;

/** {@link AbstractSampleTlsIT} with this module's jar: Spring Boot 3.5, grpc-spring. */
class SampleTlsIT extends AbstractSampleTlsIT {
}
