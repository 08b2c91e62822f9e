package dev.limp;

import java.time.Instant;

/**
 * Shed work that should have been deferred did not fit in the feature's queue and is lost.
 *
 * @param instance the limp instance's name
 * @param feature the feature's name
 * @param capacity the queue's capacity
 * @param droppedSoFar how many items this feature has dropped since start, this one included
 * @param at when it happened
 */
public record DeferredWorkDroppedEvent(String instance, String feature, int capacity, long droppedSoFar,
    Instant at) {
}
