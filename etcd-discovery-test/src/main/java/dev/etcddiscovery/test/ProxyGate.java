package dev.etcddiscovery.test;

/**
 * The faults an {@link EtcdProxy} applies right now, shared by all its {@link ProxyPipe pipes}. Every read and
 * write of these flags, and every hold-back or flush of bytes that depends on them, happens under
 * {@code synchronized (gate)}, so that what a freeze held back is delivered before anything newer.
 */
final class ProxyGate {

    boolean partitioned;

    boolean requestsFrozen;

    boolean responsesFrozen;

    /** Whether the direction of {@code response} is held back; call with the gate held. */
    boolean frozen(boolean response) {
        return response ? this.responsesFrozen : this.requestsFrozen;
    }

    /** Waits, with the gate held, until the direction of {@code response} is thawed. */
    void awaitThawed(boolean response) {
        while (frozen(response)) {
            try {
                wait();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
