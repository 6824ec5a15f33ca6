package dev.etcddiscovery.sample.shared;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Runs a line's sample application: the server until stopped, the client as a command. */
public final class SampleLauncher {

    private SampleLauncher() {
    }

    public static void launch(Class<?> application, String... args) {
        ConfigurableApplicationContext context = SpringApplication.run(application, args);
        if (context.getEnvironment().matchesProfiles("client")) {
            // the client is a command: it ends when its calls are done, with their outcome as exit status
            System.exit(SpringApplication.exit(context));
        }
    }
}
