package dev.etcddiscovery.sample;

import java.time.Duration;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import net.devh.boot.grpc.client.inject.GrpcClient;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Runs {@link GreeterCalls} on the client profile with grpc-spring's stub for channel {@code greeter}, and makes the
 * application exit non-zero when any call failed.
 */
@Component
@Profile("client")
class GreeterClientRunner implements ApplicationRunner, ExitCodeGenerator {

    @GrpcClient("greeter")
    private GreeterGrpc.GreeterBlockingStub greeter;

    private final GreeterCalls calls;

    GreeterClientRunner(@Value("${sample.calls:10}") long calls, @Value("${sample.interval:500ms}") Duration interval,
            @Value("${sample.deadline:5s}") Duration deadline) {
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
