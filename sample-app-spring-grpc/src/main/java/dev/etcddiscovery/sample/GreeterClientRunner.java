package dev.etcddiscovery.sample;

import java.time.Duration;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.grpc.client.ImportGrpcClients;
import org.springframework.stereotype.Component;

/**
 * Runs {@link GreeterCalls} (sample-app's) on the client profile with Spring gRPC's stub bean on channel
 * {@code greeter} ({@code spring.grpc.client.channel.greeter.target}), and makes the application exit non-zero when
 * any call failed.
 */
@Component
@Profile("client")
@ImportGrpcClients(target = "greeter", types = GreeterGrpc.GreeterBlockingStub.class)
class GreeterClientRunner implements ApplicationRunner, ExitCodeGenerator {

    private final GreeterGrpc.GreeterBlockingStub greeter;

    private final GreeterCalls calls;

    GreeterClientRunner(GreeterGrpc.GreeterBlockingStub greeter, @Value("${sample.calls:10}") long calls,
            @Value("${sample.interval:500ms}") Duration interval, @Value("${sample.deadline:5s}") Duration deadline) {
        this.greeter = greeter;
        this.calls = new GreeterCalls(calls, interval, deadline);
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        this.calls.run(this.greeter);
    }

    @Override
    public int getExitCode() {
        return this.calls.exitCode();
    }
}
