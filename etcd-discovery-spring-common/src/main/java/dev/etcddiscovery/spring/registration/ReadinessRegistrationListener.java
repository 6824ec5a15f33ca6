package dev.etcddiscovery.spring.registration;

import dev.etcddiscovery.registration.EtcdServiceRegistry;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;

/**
 * Takes this application's keys out of etcd while it refuses traffic, and puts them back when it accepts traffic
 * again (unless they are set OUT_OF_SERVICE: a key is in etcd only when ready <em>and</em> UP). Leases stay alive.
 */
public class ReadinessRegistrationListener {

    private final EtcdServiceRegistry registry;

    public ReadinessRegistrationListener(EtcdServiceRegistry registry) {
        this.registry = registry;
    }

    @EventListener
    public void onReadinessChange(AvailabilityChangeEvent<ReadinessState> event) {
        this.registry.setReady(event.getState() == ReadinessState.ACCEPTING_TRAFFIC);
    }
}
