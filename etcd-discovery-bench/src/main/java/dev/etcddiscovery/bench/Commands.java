package dev.etcddiscovery.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command to its end within a deadline, its output and errors together. */
final class Commands {

    private Commands() {
    }

    /** The exit code and output of a command that ended. */
    record Result(int exitCode, String output) {

        String lastLine() {
            List<String> lines = this.output.lines().filter((line) -> !line.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }
    }

    static boolean succeeds(List<String> command) {
        try {
            return run(command, Path.of("."), 30).exitCode() == 0;
        }
        catch (IllegalStateException ex) {
            return false;
        }
    }

    /** @throws IllegalStateException when it cannot start or does not end within {@code timeoutSeconds} */
    static Result run(List<String> command, Path directory, long timeoutSeconds) {
        File output = null;
        try {
            output = File.createTempFile("bench-command-", ".log");
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output)
                .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not end within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output.toPath(), StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run " + command.get(0) + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), ex);
        }
        finally {
            if (output != null) {
                output.delete();
            }
        }
    }
}
