package dev.etcddiscovery.sample.shared;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloReply;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import io.grpc.StatusRuntimeException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The sample client's calls on the client profile, with the greeter stub bean that each line's framework provides:
 * {@code calls} times (0: until stopped), one line per reply, then a summary; the application exits non-zero when
 * any call failed. The sample ITs parse these lines. A bean on both roles that calls only on the client: the role is
 * a run-time decision, so that an AOT-processed jar, whose beans are fixed at build time, runs as either.
 */
@Component
public class GreeterCalls implements ApplicationRunner, ExitCodeGenerator {

    /**
     * Looked up when the calls start: grpc-spring registers a {@code @GrpcClientBean} stub only once it has processed
     * the configuration class that declares it, which may be after this bean is created.
     */
    private final ObjectProvider<GreeterGrpc.GreeterBlockingStub> greeter;

    private final boolean client;

    private final long calls;

    private final Duration interval;

    private final Duration deadline;

    private long failures;

    public GreeterCalls(ObjectProvider<GreeterGrpc.GreeterBlockingStub> greeter, Environment environment,
            @Value("${sample.calls:10}") long calls, @Value("${sample.interval:500ms}") Duration interval,
            @Value("${sample.deadline:5s}") Duration deadline) {
        this.greeter = greeter;
        this.client = environment.matchesProfiles("client");
        this.calls = calls;
        this.interval = interval;
        this.deadline = deadline;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        if (!this.client) {
            return;
        }
        GreeterGrpc.GreeterBlockingStub stub = this.greeter.getObject();
        for (long call = 1; this.calls == 0 || call <= this.calls; call++) {
            callOnce(stub, call);
            if (this.calls == 0 || call < this.calls) {
                // the pace of the demo, not a synchronisation
                Thread.sleep(this.interval.toMillis());
            }
        }
        System.out.printf("%d calls, %d failures%n", this.calls, this.failures);
    }

    private void callOnce(GreeterGrpc.GreeterBlockingStub stub, long call) {
        try {
            HelloReply reply = stub.withDeadlineAfter(this.deadline.toMillis(), TimeUnit.MILLISECONDS)
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
