package dev.etcddiscovery.boot3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.etcddiscovery.test.GoAnchorPrograms;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * {@code bin/register} of etcd's Go resolver anchor: it registers an address with etcd's own {@code endpoints.Manager}
 * (built by {@link GoAnchorPrograms}; a test using it is skipped when Go or Debian's Go sources are missing).
 */
final class GoRegister {

    private final Path binary;

    private GoRegister(Path binary) {
        this.binary = binary;
    }

    /** The built {@code register}; aborts the calling test (an assumption) when it cannot be built here. */
    static GoRegister build() throws IOException, InterruptedException {
        return new GoRegister(GoAnchorPrograms.build("register"));
    }

    /**
     * Starts {@code register -metadata <metadata> [-key <key>] <endpoints> <service> <addr> <ttl>} and waits until it
     * printed the key it registered; the process keeps the lease alive until it is stopped (SIGTERM: it deletes the
     * key and revokes the lease).
     */
    Process register(String endpoints, String service, String addr, String metadata, String key)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(this.binary.toString(), "-metadata", metadata));
        if (key != null) {
            command.addAll(List.of("-key", key));
        }
        command.addAll(List.of(endpoints, service, addr, "30"));
        Path output = Files.createTempFile(GoAnchorPrograms.workFolder(), "register-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !process.isAlive() || Files.readString(output).contains("registered key="));
        }
        catch (ConditionTimeoutException ex) {
            // reported below
        }
        if (!Files.readString(output).contains("registered key=")) {
            process.destroyForcibly();
            throw new IllegalStateException("register did not register " + addr + ": " + String.join(" ", command)
                    + "\n" + Files.readString(output));
        }
        return process;
    }
}
