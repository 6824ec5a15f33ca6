package dev.etcddiscovery.sample.failure;

import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import io.grpc.ManagedChannel;

/** A greeter call straight to one server's port, past etcd: whether a server out of etcd still serves. */
final class DirectCall {

    private DirectCall() {
    }

    /** The instance that answered a call on {@code channel}, a channel to one server's address. */
    static String answeringInstance(ManagedChannel channel) {
        return GreeterGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .sayHello(HelloRequest.newBuilder().setName("direct").build())
            .getInstance();
    }
}
