package dev.etcddiscovery.resolver;

import io.grpc.EquivalentAddressGroup;

/**
 * One endpoint read from etcd: its key, the revision it was written at, and the address group handed to gRPC,
 * built once when the value is parsed so that a change of one key costs one parse.
 *
 * @param key the etcd key, e.g. {@code greeter/10.0.0.5:9090}
 * @param modRevision the etcd revision of the key's last write
 * @param addressGroup the addresses with {@link EtcdAttributes} set
 */
public record Endpoint(String key, long modRevision, EquivalentAddressGroup addressGroup) {
}
