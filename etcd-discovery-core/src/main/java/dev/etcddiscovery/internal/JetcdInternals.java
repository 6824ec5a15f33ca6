package dev.etcddiscovery.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.impl.ClientImpl;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;

/**
 * The parts of a jetcd {@link ClientImpl} that jetcd does not publish and we need: its gRPC channel (for a watch of our
 * own, and to pace reconnects after a long outage) and its auth token. This is the only class that reaches into
 * jetcd, on purpose, so that our watch runs on the very connection jetcd built (TLS, every endpoint with failover,
 * keep-alive, the user's interceptors and headers) and with the token jetcd keeps, instead of a second connection
 * configured by hand.
 * <p>
 * What it reads, package-private in jetcd 0.8.5 and unchanged in 0.8.6 and on jetcd's main branch (checked
 * against their sources): the field {@code ClientImpl.connectionManager}, and on that
 * {@code ClientConnectionManager} the methods {@code getChannel()} (the {@code ManagedChannel}, built on first use),
 * {@code authCredential()} (an {@code AuthCredential}, the {@link CallCredentials} jetcd puts on every call when a
 * user and password are set) and {@code builder()} (the {@link ClientBuilder} the client was built from); on the
 * credential, {@code refresh()}, which makes the next call authenticate again. When any of them is missing or
 * cannot be opened (another jetcd version, a {@link Client} of the application's own), {@link #of(Client)} is empty
 * and callers fall back (jetcd's own watch, gRPC's own reconnect backoff).
 */
public final class JetcdInternals {

    /** The field of {@link ClientImpl} read by reflection (named here for AOT/native-image reflection hints). */
    public static final String CONNECTION_MANAGER_FIELD = "connectionManager";

    /** jetcd's package-private class that holds the channel. */
    public static final String CONNECTION_MANAGER_TYPE = "io.etcd.jetcd.impl.ClientConnectionManager";

    private static final String GET_CHANNEL = "getChannel";

    private static final String BUILDER = "builder";

    private static final String AUTH_CREDENTIAL = "authCredential";

    /** The methods of {@link #CONNECTION_MANAGER_TYPE} invoked by reflection, none taking arguments. */
    public static final List<String> CONNECTION_MANAGER_METHODS = List.of(GET_CHANNEL, BUILDER, AUTH_CREDENTIAL);

    /** jetcd's package-private credential whose {@link #REFRESH_METHOD} drops the token. */
    public static final String AUTH_CREDENTIAL_TYPE = "io.etcd.jetcd.impl.AuthCredential";

    /** The no-argument method of {@link #AUTH_CREDENTIAL_TYPE} invoked by reflection. */
    public static final String REFRESH_METHOD = "refresh";

    private final ManagedChannel channel;

    private final ClientBuilder builder;

    private final CallCredentials credentials;

    private final Method refresh;

    private JetcdInternals(ManagedChannel channel, ClientBuilder builder, CallCredentials credentials,
            Method refresh) {
        this.channel = channel;
        this.builder = builder;
        this.credentials = credentials;
        this.refresh = refresh;
    }

    /**
     * The internals of {@code client}, or empty with the reason when it is not a jetcd {@link ClientImpl} or this
     * jetcd does not have them.
     */
    public static Result of(Client client) {
        if (client.getClass() != ClientImpl.class) {
            return new Result(null, client.getClass().getName() + " is not jetcd's " + ClientImpl.class.getName());
        }
        try {
            Field managerField = ClientImpl.class.getDeclaredField(CONNECTION_MANAGER_FIELD);
            managerField.setAccessible(true);
            Object manager = managerField.get(client);
            ManagedChannel channel = (ManagedChannel) invoke(manager, GET_CHANNEL);
            ClientBuilder builder = (ClientBuilder) invoke(manager, BUILDER);
            CallCredentials credentials = null;
            Method refresh = null;
            if (builder.user() != null && builder.password() != null) {
                credentials = (CallCredentials) invoke(manager, AUTH_CREDENTIAL);
                refresh = credentials.getClass().getDeclaredMethod(REFRESH_METHOD);
                refresh.setAccessible(true);
            }
            return new Result(new JetcdInternals(channel, builder, credentials, refresh), null);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            // RuntimeException covers InaccessibleObjectException (jetcd on the module path) and ClassCastException
            return new Result(null, "this jetcd does not have the internals this watch uses: " + ex);
        }
    }

    /**
     * Asks {@code client}'s channel to connect now, rather than at its first call; does nothing when the channel
     * cannot be reached (see {@link #of(Client)}). gRPC connects in the background and reconnects with its backoff.
     */
    public static void connect(Client client) {
        Result jetcd = of(client);
        if (jetcd.internals() != null) {
            jetcd.internals().channel().getState(true);
        }
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        Method accessor = target.getClass().getDeclaredMethod(method);
        accessor.setAccessible(true);
        return accessor.invoke(target);
    }

    /** jetcd's channel to etcd: every endpoint, with TLS, keep-alive and the client's interceptors. */
    public ManagedChannel channel() {
        return this.channel;
    }

    /** The token jetcd adds to its calls, when the client has a user and password. */
    public Optional<CallCredentials> credentials() {
        return Optional.ofNullable(this.credentials);
    }

    /** Drops jetcd's token, so that the next call authenticates again (etcd said the token is no longer valid). */
    public void refreshToken() {
        if (this.refresh == null) {
            return;
        }
        try {
            this.refresh.invoke(this.credentials);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Could not refresh jetcd's auth token", ex);
        }
    }

    /** The client's namespace, prepended to every key (empty when it has none). */
    public ByteSequence namespace() {
        return (this.builder.namespace() != null) ? this.builder.namespace() : ByteSequence.EMPTY;
    }

    /** Whether jetcd's calls wait for a connection instead of failing at once while etcd is unreachable. */
    public boolean waitForReady() {
        return this.builder.waitForReady();
    }

    /** The internals, or why there are none. */
    public record Result(JetcdInternals internals, String missing) {
    }
}
