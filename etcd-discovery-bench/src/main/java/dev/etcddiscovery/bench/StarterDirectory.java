package dev.etcddiscovery.bench;

import dev.etcddiscovery.jetcd.MultiplexedWatch;
import dev.etcddiscovery.resolver.EtcdNameResolverProvider;
import dev.etcddiscovery.resolver.ServiceDirectory;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;

/**
 * The resolver stack as the starter wires it: a {@link ServiceDirectory} whose watches all share one etcd
 * {@code Watch} stream of the client ({@link MultiplexedWatch}). Closes the directory, then the watch; the client
 * stays open.
 */
final class StarterDirectory implements AutoCloseable {

    private final Watch watch;

    private final ServiceDirectory directory;

    StarterDirectory(Client client) {
        this.watch = MultiplexedWatch.forClient(client);
        this.directory = ServiceDirectory.builder(client).watchSource(this.watch).build();
    }

    ServiceDirectory directory() {
        return this.directory;
    }

    EtcdNameResolverProvider provider() {
        return Etcd.provider(this.directory);
    }

    @Override
    public void close() {
        this.directory.close();
        this.watch.close();
    }
}
