package dev.etcddiscovery;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.impl.ClientImpl;
import io.grpc.ManagedChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the gRPC channel under a jetcd {@link Client}. jetcd sends every call of a client over one
 * {@link ManagedChannel} but neither exposes it nor lets its builder be customised, so this is a deliberate
 * workaround: reflection on jetcd's internal {@code ClientImpl.connectionManager.getChannel()}, the same in jetcd
 * 0.8.5 and 0.8.7. When the client is not jetcd's own or its internals moved, there is no channel, with one log line.
 */
final class JetcdChannel {

    private static final Logger logger = LoggerFactory.getLogger(JetcdChannel.class);

    private JetcdChannel() {
    }

    /**
     * The client's channel (built now if jetcd has not built it yet; building it opens no connection), or empty.
     */
    static Optional<ManagedChannel> of(Client client) {
        if (!(client instanceof ClientImpl)) {
            logger.info("The etcd client is a {}, not jetcd's own: after a long etcd outage its reconnects follow "
                    + "gRPC's backoff (up to 2 minutes)", client.getClass().getName());
            return Optional.empty();
        }
        try {
            Field connectionManager = ClientImpl.class.getDeclaredField("connectionManager");
            connectionManager.setAccessible(true);
            Object manager = connectionManager.get(client);
            Method getChannel = manager.getClass().getDeclaredMethod("getChannel");
            getChannel.setAccessible(true);
            return Optional.of((ManagedChannel) getChannel.invoke(manager));
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            logger.warn("Could not reach the gRPC channel inside jetcd's client ({}); after a long etcd outage, "
                    + "reconnects follow gRPC's backoff (up to 2 minutes)", ex.toString());
            return Optional.empty();
        }
    }
}
