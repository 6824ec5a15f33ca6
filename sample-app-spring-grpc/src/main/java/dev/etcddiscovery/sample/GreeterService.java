package dev.etcddiscovery.sample;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloReply;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import io.grpc.stub.StreamObserver;

import org.springframework.context.annotation.Profile;
import org.springframework.grpc.server.service.GrpcService;

/** The greeter: each reply names the instance that answered, as it is registered in etcd. */
@GrpcService
@Profile("server")
class GreeterService extends GreeterGrpc.GreeterImplBase {

    private final InstanceAddress instanceAddress;

    GreeterService(InstanceAddress instanceAddress) {
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
