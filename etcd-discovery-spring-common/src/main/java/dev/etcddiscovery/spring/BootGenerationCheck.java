package dev.etcddiscovery.spring;

/**
 * Whether a line's starter runs on the Spring Boot generation it serves. Each line checks at startup, in the spirit of
 * resilience4j's {@code SpringBoot3Verifier}: the Boot 3.5 line on Boot 4 starts (registration and resolution work)
 * with one WARN naming what is missing; the Boot 4.1 line on Boot 3 stops with a failure report, since Spring gRPC
 * cannot run there.
 */
public final class BootGenerationCheck {

    private final String starter;

    private final int servedGeneration;

    private final String otherStarter;

    /**
     * @param starter the artifact of this line, e.g. {@code etcd-discovery-starter}
     * @param servedGeneration the Spring Boot major version this line is built for
     * @param otherStarter the artifact that serves the other generation
     */
    public BootGenerationCheck(String starter, int servedGeneration, String otherStarter) {
        this.starter = starter;
        this.servedGeneration = servedGeneration;
        this.otherStarter = otherStarter;
    }

    /**
     * What is wrong when {@code runningBootVersion} (Boot's {@code SpringBootVersion.getVersion()}) is of another
     * generation, else {@code null}; an unknown version (null or unparsable, as in a shaded jar) is given the benefit
     * of the doubt.
     */
    public String mismatch(String runningBootVersion) {
        int running = major(runningBootVersion);
        if (running == 0 || running == this.servedGeneration) {
            return null;
        }
        return this.starter + " serves Spring Boot " + this.servedGeneration + ", but this application runs Spring Boot "
                + runningBootVersion + ": use " + this.otherStarter + " instead";
    }

    private static int major(String version) {
        if (version == null) {
            return 0;
        }
        int dot = version.indexOf('.');
        try {
            return Integer.parseInt((dot < 0) ? version : version.substring(0, dot));
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }
}
