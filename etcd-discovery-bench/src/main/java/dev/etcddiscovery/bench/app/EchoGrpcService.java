package dev.etcddiscovery.bench.app;

import net.devh.boot.grpc.server.service.GrpcService;

import org.springframework.beans.factory.annotation.Value;

/** {@link Echo} served by grpc-spring, answering with the application's name. */
@GrpcService
class EchoGrpcService extends Echo {

    EchoGrpcService(@Value("${spring.application.name:bench}") String name) {
        super(name, (nanos) -> { });
    }
}
