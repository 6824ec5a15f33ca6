package dev.etcddiscovery.registration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.etcddiscovery.test.EtcdCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;

/**
 * Looks at etcd from the outside, as an operator would, with a jetcd client of its own (for {@code etcdctl}, see
 * {@link EtcdCluster#etcdctl(String...)}).
 */
public final class EtcdProbe implements AutoCloseable {

    private final Client client;

    public EtcdProbe(EtcdCluster etcd) {
        this.client = etcd.client();
    }

    /** The key's value, or empty when the key is absent; throws when etcd does not answer. */
    public Optional<String> value(String key) {
        return keyValue(key).map((kv) -> kv.getValue().toString(StandardCharsets.UTF_8));
    }

    public boolean present(String key) {
        return keyValue(key).isPresent();
    }

    /** The lease the key is attached to (0 for none). */
    public long lease(String key) {
        return keyValue(key).map(KeyValue::getLease).orElse(0L);
    }

    /** The TTL the lease was granted with. */
    public long grantedTtl(long lease) throws Exception {
        return this.client.getLeaseClient()
            .timeToLive(lease, LeaseOption.DEFAULT)
            .get(5, TimeUnit.SECONDS)
            .getGrantedTTL();
    }

    /** Whether etcd still knows the lease (a revoked or expired lease has a TTL of -1). */
    public boolean leaseExists(long lease) throws Exception {
        return this.client.getLeaseClient()
            .timeToLive(lease, LeaseOption.DEFAULT)
            .get(5, TimeUnit.SECONDS)
            .getTTL() != -1;
    }

    /** Every key under the prefix, with its value. */
    public Map<String, String> prefix(String prefix) throws Exception {
        Map<String, String> result = new TreeMap<>();
        this.client.getKVClient()
            .get(bytes(prefix), GetOption.builder().isPrefix(true).build())
            .get(5, TimeUnit.SECONDS)
            .getKvs()
            .forEach((kv) -> result.put(kv.getKey().toString(StandardCharsets.UTF_8),
                    kv.getValue().toString(StandardCharsets.UTF_8)));
        return result;
    }

    private Optional<KeyValue> keyValue(String key) {
        try {
            List<KeyValue> kvs = this.client.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("etcd did not answer a get of " + key, ex);
        }
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        this.client.close();
    }
}
