package dev.etcddiscovery.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting and ending the etcd processes of the kit (members, grpc-proxies), their output appended to a log file. */
final class EtcdProcesses {

    private EtcdProcesses() {
    }

    /** Starts {@code command} with its output appended to {@code logFile}, without the caller's ETCD* variables. */
    static Process start(List<String> command, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().keySet().removeIf((key) -> key.startsWith("ETCD"));
        try {
            return builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + String.join(" ", command), ex);
        }
    }

    /** SIGTERM (or SIGKILL when {@code forcibly}), and waits for {@code process} to exit; {@code what} names it. */
    static void terminate(Process process, boolean forcibly, String what) {
        if (forcibly) {
            process.destroyForcibly();
        }
        else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + what, ex);
        }
    }

    /** A sentence pointing to {@code logFile}, with its last lines. */
    static String logHint(Path logFile) {
        String tail = "";
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            tail = String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }
        catch (IOException ex) {
            // the hint still names the file
        }
        return "see " + logFile.toAbsolutePath() + (tail.isEmpty() ? "" : ", ending with:" + System.lineSeparator() + tail);
    }
}
