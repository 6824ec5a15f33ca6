package dev.etcddiscovery.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** README's first command, run as a user runs it (with a short call count): it must pass and clean up. */
class DemoScriptIT {

    @Test
    void demoScriptShowsBothServersAndNoFailures() throws Exception {
        Path output = Files.createDirectories(Paths.get("target", "sample-logs")).resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder("bash", "demo.sh").directory(Paths.get("..").toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().put("DEMO_CALLS", "12");
        builder.environment().put("DEMO_INTERVAL", "250ms");
        builder.environment().remove("ETCD_ENDPOINTS");
        // the script's JVMs start as the other tests' sample JVMs do, with the options that make a start cheaper
        builder.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", SampleProcess.JVM_OPTIONS));
        Process demo = builder.start();
        boolean finished = demo.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(finished).as("demo finished; output in %s", output).isTrue();
        assertThat(demo.exitValue()).as("demo exit status; output:%n%s", text).isZero();
        assertThat(text).contains("12 calls, 0 failures")
            .contains("the client reached 2 distinct servers")
            .contains("keys left under greeter/: 0");
    }
}
