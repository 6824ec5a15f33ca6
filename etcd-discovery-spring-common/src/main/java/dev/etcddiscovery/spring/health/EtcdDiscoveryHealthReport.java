package dev.etcddiscovery.spring.health;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.etcddiscovery.internal.EtcdFailures;
import dev.etcddiscovery.registration.EtcdServiceRegistry;
import dev.etcddiscovery.registration.RegistrationSnapshot;
import dev.etcddiscovery.resolver.ServiceDirectory;
import dev.etcddiscovery.resolver.WatchSnapshot;
import dev.etcddiscovery.spring.EtcdConnectionDetails;
import dev.etcddiscovery.spring.EtcdDiscoveryProperties;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;

import org.springframework.beans.factory.ObjectProvider;

/**
 * What the {@code etcdDiscovery} health shows, without Spring Boot's health API (which moved between Boot 3.5 and
 * 4.1; each line's {@code EtcdDiscoveryHealthIndicator} turns a {@link HealthCheck} into its {@code Health}): UP when etcd answers a member list within the request timeout (the question the
 * {@code fail-fast} check asks, which any authenticated etcd user may ask), DOWN with the reason when it does not.
 * Up or down, the details show the etcd endpoints (without user info), this instance's registrations and the
 * targets being resolved, so an operator sees what an outage affects.
 */
public class EtcdDiscoveryHealthReport {

    private final Client client;

    private final List<String> endpoints;

    private final Duration requestTimeout;

    private final Supplier<List<RegistrationSnapshot>> registrations;

    private final Supplier<List<WatchSnapshot>> targets;

    private CompletableFuture<MemberListResponse> memberList;

    /**
     * @param client the jetcd client to ask
     * @param endpoints the configured etcd endpoints; only scheme, host, port and path are shown
     * @param requestTimeout bound of each etcd call of one health check
     * @param registrations this instance's registrations (an empty list without a registry)
     * @param targets the resolved targets (an empty list without a resolver)
     */
    public EtcdDiscoveryHealthReport(Client client, List<URI> endpoints, Duration requestTimeout,
            Supplier<List<RegistrationSnapshot>> registrations, Supplier<List<WatchSnapshot>> targets) {
        this.client = client;
        this.endpoints = endpoints.stream().map(EtcdDiscoveryHealthReport::withoutUserInfo).toList();
        this.requestTimeout = requestTimeout;
        this.registrations = registrations;
        this.targets = targets;
    }

    /**
     * The report on the application's beans: its registry and its directory, when it has them.
     */
    public static EtcdDiscoveryHealthReport of(Client client, EtcdConnectionDetails connectionDetails,
            EtcdDiscoveryProperties properties, ObjectProvider<EtcdServiceRegistry> registry,
            ObjectProvider<ServiceDirectory> directory) {
        EtcdServiceRegistry registrations = registry.getIfUnique();
        ServiceDirectory targets = directory.getIfUnique();
        return new EtcdDiscoveryHealthReport(client, connectionDetails.getEndpoints(), properties.getRequestTimeout(),
                (registrations != null) ? registrations::registrations : List::of,
                (targets != null) ? targets::snapshots : List::of);
    }

    /** Asks etcd now; bounded by about two request timeouts. */
    public HealthCheck check() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean answered;
        try {
            details.put("members", bounded(memberList()).getMembers().size());
            answered = true;
        }
        catch (EtcdCallException ex) {
            details.put("error", ex.getMessage());
            answered = false;
        }
        details.put("endpoints", this.endpoints);
        details.put("registrations", registrationDetails(answered));
        details.put("targets", this.targets.get().stream().map(this::targetDetails).toList());
        return new HealthCheck(answered, details);
    }

    /**
     * jetcd cannot cancel a call, and while etcd is down a call waits until it is back: checks share the call in
     * flight instead of queueing one more per check.
     */
    private synchronized CompletableFuture<MemberListResponse> memberList() {
        if (this.memberList == null || this.memberList.isDone()) {
            this.memberList = this.client.getClusterClient().listMember();
        }
        return this.memberList.copy();
    }

    /**
     * Asks etcd for the TTL left of each lease, all at once, and only when etcd answered, so that a check stays
     * bounded by about two request timeouts.
     */
    private List<Map<String, Object>> registrationDetails(boolean askEtcd) {
        List<RegistrationSnapshot> snapshots = this.registrations.get();
        List<CompletableFuture<LeaseTimeToLiveResponse>> ttlsLeft = snapshots.stream()
            .map((snapshot) -> (askEtcd && snapshot.leaseId() != 0)
                    ? this.client.getLeaseClient()
                        .timeToLive(snapshot.leaseId(), LeaseOption.DEFAULT)
                        .orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    : CompletableFuture.<LeaseTimeToLiveResponse>completedFuture(null))
            .toList();
        List<Map<String, Object>> details = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            RegistrationSnapshot snapshot = snapshots.get(i);
            Map<String, Object> registration = new LinkedHashMap<>();
            registration.put("key", snapshot.key());
            registration.put("state", snapshot.state().name());
            registration.put("status", snapshot.status().name());
            registration.put("ready", snapshot.ready());
            registration.put("advertised", snapshot.advertised());
            if (snapshot.leaseId() != 0) {
                registration.put("leaseId", snapshot.leaseIdHex());
            }
            registration.put("ttlSeconds", snapshot.ttl().toSeconds());
            LeaseTimeToLiveResponse ttlLeft = ttlsLeft.get(i).exceptionally((ex) -> null).join();
            // -1 when etcd no longer knows the lease: the registration is about to be granted a new one.
            if (ttlLeft != null) {
                registration.put("ttlLeftSeconds", ttlLeft.getTTL());
            }
            details.add(registration);
        }
        return details;
    }

    private Map<String, Object> targetDetails(WatchSnapshot snapshot) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("prefix", snapshot.prefix());
        details.put("endpoints", snapshot.endpointCount());
        details.put("lastUpdate", (snapshot.lastUpdate() != null) ? snapshot.lastUpdate().toString() : null);
        details.put("healthy", snapshot.healthy());
        if (snapshot.outsideAllowedNetworks() > 0) {
            // the keys and addresses are in the log (one WARN each): here only how many, whatever etcd holds
            details.put("rejectedOutsideAllowedNetworks", snapshot.outsideAllowedNetworks());
        }
        return details;
    }

    private <T> T bounded(CompletableFuture<T> call) throws EtcdCallException {
        try {
            return call.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS).get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EtcdCallException("interrupted while waiting for etcd");
        }
        catch (ExecutionException | CompletionException ex) {
            String reason = EtcdFailures.describe(ex, this.requestTimeout);
            throw new EtcdCallException(EtcdFailures.isTimeout(ex) ? reason : "etcd call failed: " + reason);
        }
    }

    private static String withoutUserInfo(URI endpoint) {
        try {
            return new URI(endpoint.getScheme(), null, endpoint.getHost(), endpoint.getPort(), endpoint.getPath(),
                    null, null)
                .toString();
        }
        catch (URISyntaxException ex) {
            return endpoint.getScheme() + "://" + endpoint.getHost() + ":" + endpoint.getPort();
        }
    }

    /** An etcd call of the health check that did not succeed, with a reason fit for the health details. */
    private static final class EtcdCallException extends Exception {

        EtcdCallException(String reason) {
            super(reason, null, false, false);
        }
    }
}
