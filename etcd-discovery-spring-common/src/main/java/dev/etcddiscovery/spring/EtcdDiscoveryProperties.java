package dev.etcddiscovery.spring;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcddiscovery.internal.RetryBackoff;
import dev.etcddiscovery.registration.MetadataEncoding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of etcd-based gRPC discovery, under {@code etcd.discovery}. Validated when bound (Spring Boot calls
 * {@link #validate(Object, Errors)} on properties that are a {@link Validator}), so bad values stop the start with
 * a report naming each property.
 */
@ConfigurationProperties(EtcdDiscoveryProperties.PREFIX)
public class EtcdDiscoveryProperties implements Validator {

    /** Prefix of every property of this starter. */
    public static final String PREFIX = "etcd.discovery";

    /** Whether etcd discovery (client, resolver and registration) is enabled. */
    private boolean enabled = true;

    /**
     * etcd client URLs, e.g. http://10.0.0.1:2379, all http or all https. With https, the server certificate is
     * checked against ssl.bundle or ssl.ca-certificate when set, else against the JVM's default trust store.
     */
    private List<URI> endpoints = new ArrayList<>(List.of(URI.create("http://127.0.0.1:2379")));

    /**
     * Prefix put in front of every service's keys, e.g. "prod/" gives keys "prod/greeter/10.0.0.5:9090". Empty by
     * default, which gives exactly the keys of etcd's gRPC naming document ("greeter/10.0.0.5:9090").
     */
    private String namespace = "";

    /** etcd user name, when etcd has authentication enabled. */
    private String username;

    /** etcd password, when etcd has authentication enabled. Required with username. Never logged or shown. */
    private String password;

    /** How long to wait for a connection to etcd. Must be positive. */
    private Duration connectTimeout = Duration.ofSeconds(5);

    /** Deadline of one request to etcd (get, put, lease grant, revoke, the fail-fast check). Must be positive. */
    private Duration requestTimeout = Duration.ofSeconds(5);

    /**
     * Longest wait between two retries while etcd is unreachable (listing a service, granting a lease). Retries
     * start at 1 s and grow 1.6 times per attempt up to this. Once etcd is back, registrations and watches catch up
     * within this + 1 s, however long the outage was. Must be positive.
     */
    private Duration maxRetryBackoff = RetryBackoff.DEFAULT_MAX;

    /**
     * Whether the application fails to start when etcd cannot be reached within request-timeout. By default it
     * starts anyway and registration and resolution retry in the background.
     */
    private boolean failFast = false;

    private final Ssl ssl = new Ssl();

    private final Resolver resolver = new Resolver();

    private final Registration registration = new Registration();

    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<URI> getEndpoints() {
        return this.endpoints;
    }

    public void setEndpoints(List<URI> endpoints) {
        this.endpoints = endpoints;
    }

    public String getNamespace() {
        return this.namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getUsername() {
        return this.username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return this.password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Duration getConnectTimeout() {
        return this.connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getRequestTimeout() {
        return this.requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getMaxRetryBackoff() {
        return this.maxRetryBackoff;
    }

    public void setMaxRetryBackoff(Duration maxRetryBackoff) {
        this.maxRetryBackoff = maxRetryBackoff;
    }

    public boolean isFailFast() {
        return this.failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public Ssl getSsl() {
        return this.ssl;
    }

    public Resolver getResolver() {
        return this.resolver;
    }

    public Registration getRegistration() {
        return this.registration;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    @Override
    public boolean supports(Class<?> type) {
        return EtcdDiscoveryProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        new EtcdDiscoveryPropertiesValidator().validate(target, errors);
    }

    /**
     * TLS to etcd: either a Spring Boot SSL bundle or PEM settings, not both. Either one requires https endpoints.
     */
    public static class Ssl {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) for TLS to etcd: its trust store checks the server
         * certificate, its key store (if any) is the client certificate for etcd's --client-cert-auth.
         */
        private String bundle;

        /** CA certificate(s) that sign etcd's server certificate: PEM content or a resource location. */
        private String caCertificate;

        /** Client certificate for etcd's --client-cert-auth: PEM content or a resource location. */
        private String certificate;

        /**
         * Private key of the client certificate (unencrypted PKCS#8 or PKCS#1 PEM): content or a resource location.
         * Never logged or shown.
         */
        private String privateKey;

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public String getCaCertificate() {
            return this.caCertificate;
        }

        public void setCaCertificate(String caCertificate) {
            this.caCertificate = caCertificate;
        }

        public String getCertificate() {
            return this.certificate;
        }

        public void setCertificate(String certificate) {
            this.certificate = certificate;
        }

        public String getPrivateKey() {
            return this.privateKey;
        }

        public void setPrivateKey(String privateKey) {
            this.privateKey = privateKey;
        }

        /** Whether any PEM setting (ca-certificate, certificate, private-key) is present. */
        boolean hasPem() {
            return hasText(this.caCertificate) || hasText(this.certificate) || hasText(this.privateKey);
        }

        /** Whether a bundle or PEM settings ask for TLS. */
        boolean isConfigured() {
            return hasText(this.bundle) || hasPem();
        }

        private static boolean hasText(String value) {
            return value != null && !value.isBlank();
        }
    }

    /** The {@code etcd:///service} name resolver for gRPC client channels. */
    public static class Resolver {

        /** Whether the etcd:/// name resolver is contributed to gRPC channels. */
        private boolean enabled = true;

        /**
         * Port used for an endpoint whose "Addr" has no port (as in etcd's own "1.2.3.4" example). When unset, such
         * endpoints are skipped with a warning.
         */
        private Integer defaultPort;

        /**
         * Load-balancing policy of etcd:/// channels, e.g. etcd_routing, round_robin or pick_first. Empty to leave
         * the choice to the channel (its default-load-balancing-policy). etcd_routing spreads calls by each server's
         * weight, prefers the zone set in zone and routes calls that carry the route-header; with every weight 1 and
         * no zone it picks as round_robin does.
         */
        private String loadBalancingPolicy = "etcd_routing";

        /**
         * Zone of this client (with etcd_routing): calls go to servers registered in the same zone while at least
         * zone-threshold of them are usable, else to servers of every zone. Unset: zones are ignored.
         */
        private String zone;

        /**
         * How many usable (READY and, with health checking, SERVING) servers the client's zone needs to keep all
         * calls to itself. 1 (the default) keeps calls local while any local server is left, as Spring Cloud
         * LoadBalancer's zone preference does; raise it so that a zone left with too few servers to carry the load
         * shares it with the others.
         */
        private int zoneThreshold = 1;

        /**
         * Request header that routes one call (with etcd_routing): a value such as "version=v2" (several fields
         * joined by an ampersand) sends the call only to servers whose metadata has those fields, canaries included; when none has, the
         * call fails with UNAVAILABLE naming the route.
         */
        private String routeHeader = "x-etcd-route";

        /**
         * How often a watch is asked to prove it is alive (a progress request; behind etcd's gRPC proxy, which
         * answers none, etcd's status through the same connection, see docs/resolving.md). A watch that does not
         * answer before the next check is replaced by a fresh list and watch.
         */
        private Duration watchCheckInterval = Duration.ofSeconds(30);

        /**
         * How long a service that a new or restored etcd cluster (a wiped registry) lists empty keeps the endpoints
         * it had, unless a change under its prefix comes first, so that servers have time to register again. The
         * default is the default registration TTL; 0 follows the empty cluster at once. Deleting the keys in the
         * same cluster always empties the list at once.
         */
        private Duration newClusterGracePeriod = Duration.ofSeconds(10);

        /**
         * Networks (CIDR, IPv4 or IPv6, e.g. 10.0.0.0/8, fd00::/8) that endpoints read from etcd may point into;
         * an endpoint outside them gets no calls and is reported once. Empty: any address except link-local ones
         * (169.254.0.0/16, fe80::/10, where a cloud's metadata service answers). A host name is checked by the
         * addresses it resolves to. See docs/security.md.
         */
        private List<String> allowedNetworks = new ArrayList<>();

        private final HealthCheck healthCheck = new HealthCheck();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Integer getDefaultPort() {
            return this.defaultPort;
        }

        public void setDefaultPort(Integer defaultPort) {
            this.defaultPort = defaultPort;
        }

        public String getLoadBalancingPolicy() {
            return this.loadBalancingPolicy;
        }

        public void setLoadBalancingPolicy(String loadBalancingPolicy) {
            this.loadBalancingPolicy = loadBalancingPolicy;
        }

        public String getZone() {
            return this.zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }

        public int getZoneThreshold() {
            return this.zoneThreshold;
        }

        public void setZoneThreshold(int zoneThreshold) {
            this.zoneThreshold = zoneThreshold;
        }

        public String getRouteHeader() {
            return this.routeHeader;
        }

        public void setRouteHeader(String routeHeader) {
            this.routeHeader = routeHeader;
        }

        public Duration getWatchCheckInterval() {
            return this.watchCheckInterval;
        }

        public void setWatchCheckInterval(Duration watchCheckInterval) {
            this.watchCheckInterval = watchCheckInterval;
        }

        public Duration getNewClusterGracePeriod() {
            return this.newClusterGracePeriod;
        }

        public void setNewClusterGracePeriod(Duration newClusterGracePeriod) {
            this.newClusterGracePeriod = newClusterGracePeriod;
        }

        public List<String> getAllowedNetworks() {
            return this.allowedNetworks;
        }

        public void setAllowedNetworks(List<String> allowedNetworks) {
            this.allowedNetworks = allowedNetworks;
        }

        public HealthCheck getHealthCheck() {
            return this.healthCheck;
        }
    }

    /** gRPC client-side health checking of the servers behind etcd:/// channels. */
    public static class HealthCheck {

        /**
         * Service name that etcd:/// channels ask each server's standard gRPC health service about
         * (grpc.health.v1.Health); a server that reports anything but SERVING gets no calls. Empty asks about the
         * server as a whole. Unset: no health checking. Needs io.grpc:grpc-services and etcd_routing or
         * round_robin.
         */
        private String serviceName;

        public String getServiceName() {
            return this.serviceName;
        }

        public void setServiceName(String serviceName) {
            this.serviceName = serviceName;
        }
    }

    /** Registration of this application's gRPC server in etcd. */
    public static class Registration {

        /** Whether the application's gRPC server registers itself in etcd. */
        private boolean enabled = true;

        /** Service name the server registers under. Defaults to spring.application.name. */
        private String serviceName;

        /**
         * Host or IP address to register. Defaults to an address of the first up, non-loopback interface: site-local
         * IPv4 first, then other IPv4, then unique-local or other IPv6 (never link-local).
         */
        private String host;

        /**
         * Whether the detected IP address (rather than its host name) is registered when host is not set. The
         * reverse DNS lookup for the host name waits at most 2 s; the IP address is registered when it fails.
         */
        private boolean preferIpAddress = true;

        /** Port to register. Defaults to the port the gRPC server is bound to. */
        private Integer port;

        /** Lease time-to-live: how long the key outlives a host that stopped sending keepalives. */
        private Duration ttl = Duration.ofSeconds(10);

        /** Metadata written in the endpoint's "Metadata" field. */
        private Map<String, String> metadata = new LinkedHashMap<>();

        /** Zone of this server, written as the "zone" field of its metadata, for clients' zone preference. */
        private String zone;

        /**
         * Weight of this server, written as the "weight" field of its metadata: with etcd_routing, a server of weight
         * 3 gets 3 times the calls of one of weight 1. A whole number from 1 to 10000; unset is not written, and
         * clients count it as 1.
         */
        private Integer weight;

        /** Version of this server, written as the "version" field of its metadata, for filters and routes. */
        private String version;

        /** How metadata is written: as a JSON object, or as one JSON string (for fleets with etcd's Go resolver). */
        private MetadataEncoding metadataEncoding = MetadataEncoding.OBJECT;

        /** Upper bound of the time spent deregistering on shutdown, so shutdown never hangs when etcd is down. */
        private Duration shutdownTimeout = Duration.ofSeconds(5);

        /**
         * Whether the key follows Spring Boot's readiness state: deleted while the application refuses traffic (the
         * lease stays alive), put back when it accepts traffic again.
         */
        private boolean followReadiness = true;

        /**
         * How long the gRPC server keeps serving after its key was deleted on shutdown, so that clients move their
         * calls elsewhere first. Bounded by spring.lifecycle.timeout-per-shutdown-phase; 0 stops at once.
         */
        private Duration drainDelay = Duration.ofSeconds(1);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getServiceName() {
            return this.serviceName;
        }

        public void setServiceName(String serviceName) {
            this.serviceName = serviceName;
        }

        public String getHost() {
            return this.host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public boolean isPreferIpAddress() {
            return this.preferIpAddress;
        }

        public void setPreferIpAddress(boolean preferIpAddress) {
            this.preferIpAddress = preferIpAddress;
        }

        public Integer getPort() {
            return this.port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }

        public Duration getTtl() {
            return this.ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public Map<String, String> getMetadata() {
            return this.metadata;
        }

        public void setMetadata(Map<String, String> metadata) {
            this.metadata = metadata;
        }

        public String getZone() {
            return this.zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }

        public Integer getWeight() {
            return this.weight;
        }

        public void setWeight(Integer weight) {
            this.weight = weight;
        }

        public String getVersion() {
            return this.version;
        }

        public void setVersion(String version) {
            this.version = version;
        }

        public MetadataEncoding getMetadataEncoding() {
            return this.metadataEncoding;
        }

        public void setMetadataEncoding(MetadataEncoding metadataEncoding) {
            this.metadataEncoding = metadataEncoding;
        }

        public boolean isFollowReadiness() {
            return this.followReadiness;
        }

        public void setFollowReadiness(boolean followReadiness) {
            this.followReadiness = followReadiness;
        }

        public Duration getDrainDelay() {
            return this.drainDelay;
        }

        public void setDrainDelay(Duration drainDelay) {
            this.drainDelay = drainDelay;
        }

        public Duration getShutdownTimeout() {
            return this.shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    /** Micrometer meters of the resolver and the registration. */
    public static class Metrics {

        /**
         * How often the meters are brought in line with the targets being resolved and the registrations being
         * kept: meters of a new target or registration appear, those of a closed one go away.
         */
        private Duration refreshInterval = Duration.ofSeconds(10);

        public Duration getRefreshInterval() {
            return this.refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }
}
