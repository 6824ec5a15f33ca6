package dev.etcddiscovery.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.etcddiscovery.test.EtcdBinary;

/** The machine a run happened on, read from /proc and the JVM, so every report says where its numbers come from. */
final class Machine {

    private Machine() {
    }

    static void describe(Report report) {
        report.table("machine", "")
            .row("date (UTC)", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
            .row("CPUs (nproc)", String.valueOf(Runtime.getRuntime().availableProcessors()))
            .row("CPU model", field(Path.of("/proc/cpuinfo"), "model name"))
            .row("RAM", field(Path.of("/proc/meminfo"), "MemTotal"))
            .row("OS", field(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "") + ", kernel "
                    + System.getProperty("os.version"))
            .row("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                    + ", max heap " + Jvm.mib(Runtime.getRuntime().maxMemory()) + " MiB")
            .row("etcd", etcdVersion())
            .row("load average at start (1/5/15 min)", loadAverage())
            .end();
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

    private static String field(Path file, String name) {
        try {
            return Files.readAllLines(file)
                .stream()
                .filter((line) -> line.startsWith(name))
                .map((line) -> line.substring(line.indexOf(line.contains("=") ? '=' : ':') + 1).trim())
                .findFirst()
                .orElse("unknown");
        }
        catch (IOException ex) {
            return "unknown";
        }
    }

    private static String etcdVersion() {
        try {
            Process process = new ProcessBuilder(List.of(EtcdBinary.locate().toString(), "--version"))
                .redirectErrorStream(true)
                .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.lines().findFirst().orElse("unknown").replace("etcd Version: ", "");
        }
        catch (IOException ex) {
            return "unknown";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
