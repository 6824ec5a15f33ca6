package dev.etcddiscovery.sample;

import java.util.concurrent.atomic.AtomicReference;

import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The {@code host:port} this instance registers in etcd (or would, with registration disabled). */
@Component
@Profile("server")
class InstanceAddress {

    private final String host;

    private final AtomicReference<String> address = new AtomicReference<>("starting");

    InstanceAddress(@Value("${etcd.discovery.registration.host:127.0.0.1}") String host) {
        this.host = host;
    }

    @EventListener
    void onServerStarted(GrpcServerStartedEvent event) {
        this.address.set(this.host + ":" + event.getPort());
    }

    String get() {
        return this.address.get();
    }
}
