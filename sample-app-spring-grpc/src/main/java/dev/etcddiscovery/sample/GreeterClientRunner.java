package dev.etcddiscovery.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloReply;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import io.grpc.StatusRuntimeException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.grpc.client.ImportGrpcClients;
import org.springframework.stereotype.Component;

/**
 * Calls greeter {@code sample.calls} times (0: until stopped), one line per reply, and makes the application exit
 * non-zero when any call failed. The stub is a bean on channel {@code greeter}
 * ({@code spring.grpc.client.channel.greeter.target}).
 */
@Component
@Profile("client")
@ImportGrpcClients(target = "greeter", types = GreeterGrpc.GreeterBlockingStub.class)
class GreeterClientRunner implements ApplicationRunner, ExitCodeGenerator {

    private final GreeterGrpc.GreeterBlockingStub greeter;

    private final long calls;

    private final Duration interval;

    private final Duration deadline;

    private long failures;

    GreeterClientRunner(GreeterGrpc.GreeterBlockingStub greeter, @Value("${sample.calls:10}") long calls,
            @Value("${sample.interval:500ms}") Duration interval, @Value("${sample.deadline:5s}") Duration deadline) {
        this.greeter = greeter;
        this.calls = calls;
        this.interval = interval;
        this.deadline = deadline;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        for (long call = 1; this.calls == 0 || call <= this.calls; call++) {
            callOnce(call);
            if (this.calls == 0 || call < this.calls) {
                // the pace of the demo, not a synchronisation
                Thread.sleep(this.interval.toMillis());
            }
        }
        System.out.printf("%d calls, %d failures%n", this.calls, this.failures);
    }

    private void callOnce(long call) {
        try {
            HelloReply reply = this.greeter.withDeadlineAfter(this.deadline.toMillis(), TimeUnit.MILLISECONDS)
                .sayHello(HelloRequest.newBuilder().setName("call " + call).build());
            System.out.printf("call %d answered by %s: %s%n", call, reply.getInstance(), reply.getMessage());
        }
        catch (StatusRuntimeException ex) {
            this.failures++;
            System.out.printf("call %d FAILED: %s%n", call, ex.getStatus());
        }
    }

    @Override
    public int getExitCode() {
        return (this.failures == 0) ? 0 : 1;
    }
}
