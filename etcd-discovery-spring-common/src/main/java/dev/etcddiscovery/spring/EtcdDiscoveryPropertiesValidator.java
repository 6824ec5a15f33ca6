package dev.etcddiscovery.spring;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.etcddiscovery.resolver.AllowedNetworks;
import io.grpc.LoadBalancerRegistry;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Checks {@link EtcdDiscoveryProperties} as a whole, naming the property at fault and what is allowed. A field whose
 * value is a secret (password, private key) is never the rejected field: errors about it are reported on its partner
 * (a null value), so no secret reaches an error message.
 */
class EtcdDiscoveryPropertiesValidator implements Validator {

    private static final Set<String> SCHEMES = Set.of("http", "https");

    private static final Duration MIN_TTL = Duration.ofSeconds(1);

    private static final Pattern ROUTE_HEADER = Pattern.compile("[a-z0-9_.-]+");

    // named in full: the import block is where other branches add theirs
    private static final int MAX_WEIGHT = dev.etcddiscovery.internal.EndpointMetadata.MAX_WEIGHT;

    @Override
    public boolean supports(Class<?> type) {
        return EtcdDiscoveryProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        EtcdDiscoveryProperties properties = (EtcdDiscoveryProperties) target;
        validateEndpoints(properties, errors);
        requirePositive("connectTimeout", properties.getConnectTimeout(), errors);
        requirePositive("requestTimeout", properties.getRequestTimeout(), errors);
        requirePositive("maxRetryBackoff", properties.getMaxRetryBackoff(), errors);
        validateCredentials(properties, errors);
        validateSsl(properties, errors);
        validateResolver(properties.getResolver(), errors);
        validateTtl(properties.getRegistration().getTtl(), errors);
        validatePort("registration.port", properties.getRegistration().getPort(),
                "must be between 1 and 65535, or unset to register the bound gRPC port", errors);
        validateRouting(properties, errors);
        requirePositive("registration.shutdownTimeout", properties.getRegistration().getShutdownTimeout(), errors);
        Duration drainDelay = properties.getRegistration().getDrainDelay();
        if (drainDelay == null || drainDelay.isNegative()) {
            errors.rejectValue("registration.drainDelay", "negative",
                    "must be zero (stop the gRPC server at once) or a positive duration, e.g. 2s");
        }
        requirePositive("metrics.refreshInterval", properties.getMetrics().getRefreshInterval(), errors);
    }

    /**
     * The checks the resolver's constructors make for plain grpc-java users, made here too so that a bad value
     * gets the failure report instead of a stack trace.
     */
    private void validateResolver(EtcdDiscoveryProperties.Resolver resolver, Errors errors) {
        validatePort("resolver.defaultPort", resolver.getDefaultPort(),
                "must be between 1 and 65535, or unset to skip endpoints whose Addr has no port", errors);
        requirePositive("resolver.watchCheckInterval", resolver.getWatchCheckInterval(), errors);
        validateAllowedNetworks(resolver.getAllowedNetworks(), errors);
        Duration gracePeriod = resolver.getNewClusterGracePeriod();
        if (gracePeriod == null || gracePeriod.isNegative()) {
            errors.rejectValue("resolver.newClusterGracePeriod", "negative",
                    "must be zero (follow a new, empty cluster at once) or a positive duration, e.g. 10s");
        }
        String policy = (resolver.getLoadBalancingPolicy() != null) ? resolver.getLoadBalancingPolicy().trim() : "";
        if (!policy.isEmpty() && LoadBalancerRegistry.getDefaultRegistry().getProvider(policy) == null) {
            errors.rejectValue("resolver.loadBalancingPolicy", "unknown",
                    "must be a load-balancing policy known to gRPC, e.g. round_robin or pick_first, or empty to "
                            + "leave the choice to each channel");
        }
    }

    private void validateAllowedNetworks(List<String> networks, Errors errors) {
        for (int i = 0; networks != null && i < networks.size(); i++) {
            try {
                AllowedNetworks.of(List.of(networks.get(i)));
            }
            catch (IllegalArgumentException ex) {
                // the report shows the value itself
                errors.rejectValue("resolver.allowedNetworks[" + i + "]", "notANetwork",
                        "must be a network in CIDR notation, IPv4 or IPv6, e.g. 10.0.0.0/8 or fd00::/8");
            }
        }
    }

    private void validateEndpoints(EtcdDiscoveryProperties properties, Errors errors) {
        List<URI> endpoints = properties.getEndpoints();
        if (endpoints == null || endpoints.isEmpty()) {
            errors.rejectValue("endpoints", "empty", "must list at least one etcd client URL, e.g. http://127.0.0.1:2379");
            return;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            String field = "endpoints[" + i + "]";
            URI endpoint = endpoints.get(i);
            if (endpoint == null || endpoint.getScheme() == null || !SCHEMES.contains(endpoint.getScheme())) {
                errors.rejectValue(field, "scheme", "must be an http:// or https:// URL with host and port, e.g. http://127.0.0.1:2379");
            }
            else if (endpoint.getHost() == null || endpoint.getPort() == -1) {
                errors.rejectValue(field, "hostPort", "must name a host and a port, e.g. " + endpoint.getScheme() + "://127.0.0.1:2379");
            }
        }
        if (errors.hasFieldErrors("endpoints*")) {
            return;
        }
        boolean https = "https".equals(endpoints.get(0).getScheme());
        if (endpoints.stream().anyMatch((endpoint) -> "https".equals(endpoint.getScheme()) != https)) {
            errors.rejectValue("endpoints", "mixedSchemes", "must be all http or all https, not a mix");
        }
        else if (!https && properties.getSsl().isConfigured()) {
            errors.rejectValue("endpoints", "sslNeedsHttps",
                    "must be https:// URLs when etcd.discovery.ssl.* is set (TLS settings are not used over http)");
        }
    }

    private void requirePositive(String field, Duration value, Errors errors) {
        if (value == null || value.isNegative() || value.isZero()) {
            errors.rejectValue(field, "notPositive", "must be a positive duration, e.g. 5s");
        }
    }

    private void validateCredentials(EtcdDiscoveryProperties properties, Errors errors) {
        boolean user = hasText(properties.getUsername());
        boolean password = properties.getPassword() != null && !properties.getPassword().isEmpty();
        if (user && !password) {
            errors.rejectValue("password", "missing", "must be set when etcd.discovery.username is set");
        }
        else if (password && !user) {
            errors.rejectValue("username", "missing", "must be set when etcd.discovery.password is set");
        }
    }

    private void validateSsl(EtcdDiscoveryProperties properties, Errors errors) {
        EtcdDiscoveryProperties.Ssl ssl = properties.getSsl();
        if (hasText(ssl.getBundle()) && ssl.hasPem()) {
            errors.rejectValue("ssl.bundle", "bundleAndPem", "must not be combined with etcd.discovery.ssl.ca-certificate,"
                    + " certificate or private-key: use either an SSL bundle or PEM settings");
            return;
        }
        boolean certificate = hasText(ssl.getCertificate());
        boolean privateKey = hasText(ssl.getPrivateKey());
        if (certificate && !privateKey) {
            errors.rejectValue("ssl.privateKey", "missing", "must be set when etcd.discovery.ssl.certificate is set");
        }
        else if (privateKey && !certificate) {
            errors.rejectValue("ssl.certificate", "missing", "must be set when etcd.discovery.ssl.private-key is set");
        }
    }

    private void validateTtl(Duration ttl, Errors errors) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
            errors.rejectValue("registration.ttl", "tooShort",
                    "must be at least 1s (etcd leases count whole seconds), e.g. 10s");
        }
    }

    private void validatePort(String field, Integer port, String allowed, Errors errors) {
        if (port != null && (port < 1 || port > 65535)) {
            errors.rejectValue(field, "outOfRange", allowed);
        }
    }

    /** The weight a server registers, and how clients route by zone and header (etcd_routing). */
    private void validateRouting(EtcdDiscoveryProperties properties, Errors errors) {
        Integer weight = properties.getRegistration().getWeight();
        if (weight != null && (weight < 1 || weight > MAX_WEIGHT)) {
            errors.rejectValue("registration.weight", "outOfRange", "must be a whole number from 1 to " + MAX_WEIGHT
                    + " (calls are spread in proportion), or unset for 1");
        }
        EtcdDiscoveryProperties.Resolver resolver = properties.getResolver();
        if (resolver.getZoneThreshold() < 1) {
            errors.rejectValue("resolver.zoneThreshold", "notPositive",
                    "must be at least 1: how many usable servers the client's zone needs to keep its calls");
        }
        String header = resolver.getRouteHeader();
        if (header == null || !ROUTE_HEADER.matcher(header).matches() || header.endsWith("-bin")) {
            errors.rejectValue("resolver.routeHeader", "invalid", "must be a gRPC header name (lower-case letters, "
                    + "digits, '-', '_' and '.'), not ending in -bin, e.g. x-etcd-route");
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
