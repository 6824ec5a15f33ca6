package dev.etcddiscovery.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.etcddiscovery.test.EtcdCluster;
import dev.etcddiscovery.test.FreePorts;

/** Carries out the soak benchmark's disturbances on its etcd, servers and flapping server. */
final class SoakDisturbances {

    private final EtcdCluster etcd;

    private final SoakFleet fleet;

    private final FlappingServer flapper;

    private final List<String> services;

    private final int deadKeysPerService;

    private int victims;

    SoakDisturbances(EtcdCluster etcd, SoakFleet fleet, FlappingServer flapper, List<String> services,
            int deadKeysPerService) {
        this.etcd = etcd;
        this.fleet = fleet;
        this.flapper = flapper;
        this.services = services;
        this.deadKeysPerService = deadKeysPerService;
    }

    /**
     * Starts {@code disturbance}; returns etcd's load read just before an etcd restart (its counters restart), else
     * null.
     */
    EtcdLoad begin(SoakDisturbance disturbance) {
        switch (disturbance) {
            case STEADY -> {
            }
            case DEAD_KEYS -> putDeadKeys();
            case KILL -> {
                String service = nextVictim();
                this.fleet.kill(service);
                this.fleet.add(service);
            }
            case STORM -> {
                this.services.forEach((service) -> put(service, this.flapper.port()));
                this.flapper.startFlapping(Duration.ofSeconds(1));
            }
            case ETCD_RESTART -> {
                EtcdLoad before = EtcdLoad.read(this.etcd.endpoint());
                this.etcd.restart();
                return before;
            }
            case STOP -> {
                String service = nextVictim();
                this.fleet.stop(service);
                this.fleet.add(service);
            }
        }
        return null;
    }

    /** Ends what lasts the whole minute (the storm). */
    void end(SoakDisturbance disturbance) {
        if (disturbance == SoakDisturbance.STORM) {
            this.flapper.stopFlapping();
            this.services.forEach((service) -> this.etcd.etcdctl("del", key(service, this.flapper.port())));
        }
    }

    private void putDeadKeys() {
        for (String service : this.services) {
            for (int i = 0; i < this.deadKeysPerService; i++) {
                // a port nothing listens on: connections to it are refused
                put(service, FreePorts.next());
            }
        }
    }

    private void put(String service, int port) {
        this.etcd.etcdctl("put", key(service, port), Etcd.endpointValue(port).toString(StandardCharsets.UTF_8));
    }

    private String nextVictim() {
        return this.services.get(this.victims++ % this.services.size());
    }

    private static String key(String service, int port) {
        return service + "/127.0.0.1:" + port;
    }
}
