package dev.etcddiscovery.sample;

/** {@link AbstractSampleTlsIT} with this module's jar: Spring Boot 4.1, Spring gRPC. */
class SampleTlsIT extends AbstractSampleTlsIT {
}
