package dev.etcddiscovery.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.etcddiscovery.sample.greeter.GreeterGrpc;
import dev.etcddiscovery.sample.greeter.HelloReply;
import dev.etcddiscovery.sample.greeter.HelloRequest;
import io.grpc.StatusRuntimeException;

/**
 * The sample client's calls, the same on both Boot lines (each line's GreeterClientRunner only injects the stub):
 * {@code calls} times (0: until stopped), one line per reply, then a summary; the exit code is non-zero when any
 * call failed. The sample ITs parse these lines.
 */
final class GreeterCalls {

    private final long calls;

    private final Duration interval;

    private final Duration deadline;

    private long failures;

    GreeterCalls(long calls, Duration interval, Duration deadline) {
        this.calls = calls;
        this.interval = interval;
        this.deadline = deadline;
    }

    void run(GreeterGrpc.GreeterBlockingStub greeter) throws InterruptedException {
        for (long call = 1; this.calls == 0 || call <= this.calls; call++) {
            callOnce(greeter, call);
            if (this.calls == 0 || call < this.calls) {
                // the pace of the demo, not a synchronisation
                Thread.sleep(this.interval.toMillis());
            }
        }
        System.out.printf("%d calls, %d failures%n", this.calls, this.failures);
    }

    private void callOnce(GreeterGrpc.GreeterBlockingStub greeter, long call) {
        try {
            HelloReply reply = greeter.withDeadlineAfter(this.deadline.toMillis(), TimeUnit.MILLISECONDS)
                .sayHello(HelloRequest.newBuilder().setName("call " + call).build());
            System.out.printf("call %d answered by %s: %s%n", call, reply.getInstance(), reply.getMessage());
        }
        catch (StatusRuntimeException ex) {
            this.failures++;
            System.out.printf("call %d FAILED: %s%n", call, ex.getStatus());
        }
    }

    int exitCode() {
        return (this.failures == 0) ? 0 : 1;
    }
}
