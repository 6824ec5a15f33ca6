package dev.etcddiscovery.sample.shared;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloReply;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import io.grpc.stub.StreamObserver;

/**
 * The greeter: each reply names the instance that answered, as it is registered in etcd. Each line makes it a bean
 * its framework serves.
 */
public class GreeterService extends GreeterGrpc.GreeterImplBase {

    private final InstanceAddress instanceAddress;

    public GreeterService(InstanceAddress instanceAddress) {
        this.instanceAddress = instanceAddress;
    }

    @Override
    public void sayHello(HelloRequest request, StreamObserver<HelloReply> responseObserver) {
        String instance = this.instanceAddress.get();
        responseObserver.onNext(HelloReply.newBuilder()
            .setMessage("Hello " + request.getName() + " from " + instance)
            .setInstance(instance)
            .build());
        responseObserver.onCompleted();
    }
}
