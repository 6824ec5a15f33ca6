package dev.etcddiscovery.resolver;

import java.time.Instant;

/**
 * Read-only state of the watch on one service prefix, for health indicators and metrics.
 *
 * @param prefix the watched key prefix, e.g. {@code greeter/}
 * @param endpointCount how many usable endpoints are currently known
 * @param lastUpdate when the endpoint list last changed, or {@code null} before it was first listed
 * @param healthy whether the prefix is listed and its watch is running and answering
 * @param watchRestarts how often the watch was lost and replaced by a new list and watch
 * @param compactionRelists how many of those restarts were caused by a compacted revision
 * @param malformedValuesSkipped how many unusable values were skipped (each bad value counted once)
 * @param outsideAllowedNetworks how many keys are left out now because they point outside the
 *        {@link AllowedNetworks}
 * @param rejectedOutsideAllowedNetworks how many times a key was left out because it pointed outside the
 *        {@link AllowedNetworks} (once per key and address)
 */
public record WatchSnapshot(String prefix, int endpointCount, Instant lastUpdate, boolean healthy, long watchRestarts,
        long compactionRelists, long malformedValuesSkipped, int outsideAllowedNetworks,
        long rejectedOutsideAllowedNetworks) {
}
