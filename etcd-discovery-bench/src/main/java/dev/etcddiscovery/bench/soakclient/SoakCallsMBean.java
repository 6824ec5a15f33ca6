package dev.etcddiscovery.bench.soakclient;

/** What the bench reads over JMX from the soak client: the outcome of its calls. */
public interface SoakCallsMBean {

    /** Calls answered so far. */
    long getSucceeded();

    /** Calls failed so far (no endpoint, deadline, connection lost ...). */
    long getFailed();

    /** Channels that have had at least one call answered. */
    int getChannelsAnswered();
}
