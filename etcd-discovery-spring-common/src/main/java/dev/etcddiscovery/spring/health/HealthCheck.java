package dev.etcddiscovery.spring.health;

import java.util.Map;

/**
 * One health check's outcome without Spring Boot's health API: UP or DOWN, and the details in the order they are
 * shown. Each line turns it into its Boot's {@code Health}.
 */
public record HealthCheck(boolean up, Map<String, Object> details) {
}
