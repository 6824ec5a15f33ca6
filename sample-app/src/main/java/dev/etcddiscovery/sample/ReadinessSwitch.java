package dev.etcddiscovery.sample;

import java.util.Arrays;
import java.util.Map;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stands in for what a real server does when it loses a dependency it cannot serve without (a database, a downstream
 * service): it publishes Boot's {@link ReadinessState#REFUSING_TRAFFIC}, and {@link ReadinessState#ACCEPTING_TRAFFIC}
 * once the dependency is back. With {@code etcd.discovery.registration.follow-readiness} (on by default) the
 * server's key leaves etcd and comes back with it, while the server keeps serving; {@code /actuator/health/readiness}
 * follows the same state. A bean on both roles (see {@link SampleApplication}); a client serves no HTTP.
 *
 * <pre>
 * curl -s localhost:8080/sample/readiness
 * curl -s -X POST -H 'Content-Type: application/json' -d '{"state":"REFUSING_TRAFFIC"}' localhost:8080/sample/readiness
 * </pre>
 */
@RestController
@RequestMapping("/sample/readiness")
class ReadinessSwitch {

    private final ApplicationEventPublisher publisher;

    private final ApplicationAvailability availability;

    ReadinessSwitch(ApplicationEventPublisher publisher, ApplicationAvailability availability) {
        this.publisher = publisher;
        this.availability = availability;
    }

    @GetMapping
    Map<String, String> state() {
        return Map.of("state", this.availability.getReadinessState().name());
    }

    @PostMapping
    ResponseEntity<Map<String, String>> change(@RequestBody Map<String, String> request) {
        String requested = request.get("state");
        ReadinessState state = Arrays.stream(ReadinessState.values())
            .filter((candidate) -> candidate.name().equals(requested))
            .findFirst()
            .orElse(null);
        if (state == null) {
            return ResponseEntity.badRequest()
                .body(Map.of("error", "state must be ACCEPTING_TRAFFIC or REFUSING_TRAFFIC, was '" + requested + "'"));
        }
        AvailabilityChangeEvent.publish(this.publisher, this, state);
        return ResponseEntity.ok(state());
    }
}
