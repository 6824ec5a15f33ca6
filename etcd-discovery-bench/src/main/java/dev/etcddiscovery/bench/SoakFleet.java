package dev.etcddiscovery.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.watch.WatchEvent;

/**
 * The server JVMs of the soak benchmark, registered under the followed services; started, killed and stopped as
 * the disturbances say. One raw watch on their prefixes (open for the whole run) sees them register.
 */
final class SoakFleet implements AutoCloseable {

    private static final Duration REGISTRATION_TIMEOUT = Duration.ofMinutes(5);

    private final EtcdCluster etcd;

    private final String ttl;

    private final boolean quick;

    private final FloorWatch registrations;

    private final Map<String, Deque<ServerProcess>> servers = new LinkedHashMap<>();

    private final Set<String> knownKeys = ConcurrentHashMap.newKeySet();

    private int started;

    SoakFleet(EtcdCluster etcd, List<String> services, String ttl, boolean quick) {
        this.etcd = etcd;
        this.ttl = ttl;
        this.quick = quick;
        services.forEach((service) -> this.servers.put(service, new ArrayDeque<>()));
        this.registrations = new FloorWatch(etcd, "soak-");
    }

    /**
     * Starts {@code count} servers for every service at once, without waiting: what else starts meanwhile (the
     * client JVM) shares their start-up time. {@link Registrations#await()} waits until each has registered.
     */
    Registrations startEach(int count) {
        List<String> services = List.copyOf(this.servers.keySet());
        Expectation<WatchEvent> registered = expectRegistrations(services.size() * count);
        for (String service : services) {
            for (int i = 0; i < count; i++) {
                launch(service);
            }
        }
        return () -> registered.await(REGISTRATION_TIMEOUT, services.size() * count + " server JVMs to register");
    }

    /** SIGKILLs the oldest server of {@code service}: its key stays until its lease expires. */
    void kill(String service) {
        this.servers.get(service).removeFirst().kill();
    }

    /** SIGTERMs the oldest server of {@code service} and waits for it to exit: it deregisters itself. */
    void stop(String service) {
        ServerProcess server = this.servers.get(service).removeFirst();
        server.terminate();
        server.awaitExit();
    }

    /** Starts one more server for {@code service} and waits until it has registered. */
    void add(String service) {
        Expectation<WatchEvent> registered = expectRegistrations(1);
        launch(service);
        registered.await(REGISTRATION_TIMEOUT, "a new server JVM of " + service + " to register");
    }

    /** Server JVMs running, each with its registration (and the registration's watch on its own key). */
    int live() {
        return this.servers.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public void close() {
        this.servers.values().forEach((servers) -> servers.forEach(ServerProcess::close));
        this.registrations.close();
    }

    private void launch(String service) {
        this.servers.get(service)
            .addLast(ServerProcess.start(this.etcd, service, service + "-" + this.started++, this.ttl, this.quick));
    }

    /** New keys of servers (puts of keys not seen before under a service), until {@code count} of them. */
    private Expectation<WatchEvent> expectRegistrations(int count) {
        Set<String> fresh = ConcurrentHashMap.newKeySet();
        return this.registrations.expect((event) -> {
            String key = FloorWatch.key(event);
            boolean server = event.getEventType() == WatchEvent.EventType.PUT
                    && this.servers.keySet().stream().anyMatch((service) -> key.startsWith(service + "/"));
            if (server && this.knownKeys.add(key)) {
                fresh.add(key);
            }
            return fresh.size() == count;
        });
    }

    /** Servers started by {@link #startEach(int)}, registering. */
    @FunctionalInterface
    interface Registrations {

        /** Waits until every one of them has registered. */
        void await();
    }
}
