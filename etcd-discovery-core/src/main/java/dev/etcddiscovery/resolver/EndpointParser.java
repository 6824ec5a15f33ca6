package dev.etcddiscovery.resolver;

import java.io.IOException;
import java.net.InetAddress;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.InetAddresses;
import io.grpc.Attributes;

/**
 * Turns an etcd key and value into an {@link Endpoint}: this is where a key becomes an address.
 * <p>
 * Values are etcd's gRPC naming JSON, {@code {"Addr":"host:port","Metadata":...}}, optionally with {@code "Op"}
 * (ignored: the key's presence is what counts). Unknown fields are ignored and field names match case-insensitively,
 * as Go's JSON decoder does. {@code Addr} is an IPv4 address, {@code [IPv6]} or a host name, with an optional
 * {@code :port}; without a port the default port is used, or the value is rejected when there is none.
 * <p>
 * Parsing never looks a name up: an IP address is read as it is, a host name is left to {@link HostLookups}, which
 * resolves it off the thread that reads etcd.
 */
final class EndpointParser {

    private final ObjectMapper mapper = new ObjectMapper();

    private final Integer defaultPort;

    /**
     * @param defaultPort the port of an {@code Addr} without one, or {@code null} to reject such values
     */
    EndpointParser(Integer defaultPort) {
        if (defaultPort != null && !isPort(defaultPort)) {
            throw new IllegalArgumentException(
                    "defaultPort must be between 1 and 65535, was " + defaultPort);
        }
        this.defaultPort = defaultPort;
    }

    /**
     * Parses one key-value pair.
     * @throws InvalidEndpointException naming the key and what is wrong with its value
     */
    Endpoint parse(String key, byte[] value, long modRevision) throws InvalidEndpointException {
        EndpointValue read = read(key, value);
        if (read.addr == null || read.addr.isBlank()) {
            throw new InvalidEndpointException(key, "the value has no \"Addr\" string");
        }
        Attributes.Builder attributes = Attributes.newBuilder().set(EtcdAttributes.ETCD_KEY, key);
        if (read.metadata != null) {
            attributes.set(EtcdAttributes.METADATA, read.metadata);
        }
        return endpoint(key, modRevision, read.addr.trim(), attributes.build());
    }

    /**
     * Reads {@code Addr} and {@code Metadata} from the value as a stream of tokens, skipping everything else: a list
     * of 10,000 values is parsed while a channel waits for its first addresses, and building a tree of each value
     * took most of that time. Like Go's decoder, a field matches case-insensitively and the last match wins.
     */
    private EndpointValue read(String key, byte[] value) throws InvalidEndpointException {
        try (JsonParser json = this.mapper.createParser(value)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEndpointException(key, "the value is not a JSON object");
            }
            EndpointValue read = new EndpointValue();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken token = json.nextToken();
                if (name.equalsIgnoreCase("Addr")) {
                    read.addr = (token == JsonToken.VALUE_STRING) ? json.getText() : null;
                    json.skipChildren();
                }
                else if (name.equalsIgnoreCase("Metadata")) {
                    read.metadata = (token == JsonToken.VALUE_NULL) ? null : json.readValueAs(Object.class);
                }
                else {
                    json.skipChildren();
                }
            }
            return read;
        }
        catch (JsonProcessingException ex) {
            throw new InvalidEndpointException(key, "the value is not valid JSON (" + ex.getOriginalMessage() + ")");
        }
        catch (IOException ex) {
            throw new InvalidEndpointException(key, "the value cannot be read (" + ex.getMessage() + ")");
        }
    }

    private Endpoint endpoint(String key, long modRevision, String addr, Attributes attributes)
            throws InvalidEndpointException {
        String host;
        String portText;
        if (addr.startsWith("[")) {
            int close = addr.indexOf(']');
            if (close < 0) {
                throw new InvalidEndpointException(key, "Addr '" + addr + "' has no closing ']'");
            }
            host = addr.substring(1, close);
            String rest = addr.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new InvalidEndpointException(key, "Addr '" + addr + "' has text after ']' that is not ':port'");
            }
            portText = rest.isEmpty() ? null : rest.substring(1);
        }
        else if (addr.indexOf(':') != addr.lastIndexOf(':')) {
            // more than one colon and no brackets: a bare IPv6 address, which cannot carry a port
            host = addr;
            portText = null;
        }
        else {
            int colon = addr.indexOf(':');
            host = (colon < 0) ? addr : addr.substring(0, colon);
            portText = (colon < 0) ? null : addr.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new InvalidEndpointException(key, "Addr '" + addr + "' has no host");
        }
        int port = port(key, addr, portText);
        return new Endpoint(key, modRevision, host, port, ipAddress(key, addr, host), attributes);
    }

    /** {@code host} as an IP address, without a lookup; null when it is a host name. */
    private static InetAddress ipAddress(String key, String addr, String host) throws InvalidEndpointException {
        boolean ipv6 = host.indexOf(':') >= 0;
        if (!ipv6 && !InetAddresses.isInetAddress(host)) {
            return null;
        }
        try {
            return InetAddresses.forString(host);
        }
        catch (IllegalArgumentException ex) {
            // a host name has no colon; an IPv6 address can also name a scope this machine does not have
            throw new InvalidEndpointException(key, "Addr '" + addr + "' has an invalid IPv6 address");
        }
    }

    private int port(String key, String addr, String portText) throws InvalidEndpointException {
        if (portText == null) {
            if (this.defaultPort == null) {
                throw new InvalidEndpointException(key, "Addr '" + addr
                        + "' has no port and no defaultPort is set");
            }
            return this.defaultPort;
        }
        try {
            int port = Integer.parseInt(portText);
            if (isPort(port)) {
                return port;
            }
        }
        catch (NumberFormatException ex) {
            // reported below with the same message as an out-of-range port
        }
        throw new InvalidEndpointException(key,
                "port '" + portText + "' of Addr '" + addr + "' is not a number between 1 and 65535");
    }

    private static boolean isPort(int port) {
        return port >= 1 && port <= 65535;
    }

    /** The two fields of a value the resolver uses, as read. */
    private static final class EndpointValue {

        private String addr;

        private Object metadata;
    }
}
