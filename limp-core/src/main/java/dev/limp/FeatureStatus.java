package dev.limp;

import java.util.Map;

/**
 * A point-in-time view of one feature. Counters are read one by one while calls go on, so they are racy
 * with each other (as HikariCP's pool gauges are); each is exact on its own.
 *
 * @param name the feature's name
 * @param tier its tier
 * @param state the state callers see
 * @param admittedFraction the fraction of calls admitted now (1 when active, 0 when shed)
 * @param reason why it is shed or ramping; {@code null} when active
 * @param wouldShed in shadow mode: whether the governor would shed it now
 * @param pinned whether an operator pinned it on
 * @param circuitBreakerState the state of its resilience4j breaker; {@code null} when governor-only
 * @param calls how many calls ended in each outcome
 * @param shedCalls how each shed or rejected call was answered
 * @param deferredQueued how much deferred work waits for replay
 * @param deferredReplayed how much deferred work was replayed and ran without error
 * @param deferredReplayFailed how much deferred work was replayed and failed with its own error (logged);
 *     work limp refused again on replay stays queued and is in neither count. Every deferred call
 *     ({@link ShedHandling#DEFERRED}) is queued, replayed, failed, or (for at most one call at a time) being
 *     replayed; work that could not be queued is {@link ShedHandling#DROPPED}.
 * @param trialCalls how many trial calls the feature let through while the governor shed it (one per tick at
 *     most), those still running included: the probes that tell when its queries are healthy again
 *     ({@link FeatureGuard#trialCalls()}); they are counted in {@code calls} too
 * @param healthyTrialCalls how many trial calls ended and were judged healthy: no error, within the
 *     policy's {@link GovernorPolicy#healthyCallLatency()}
 * @param unhealthyTrialCalls how many trial calls ended and were judged unhealthy: an error, or slower
 */
public record FeatureStatus(String name, Tier tier, FeatureState state, double admittedFraction,
    ShedReason reason, boolean wouldShed, boolean pinned, String circuitBreakerState,
    Map<CallOutcome, Long> calls, Map<ShedHandling, Long> shedCalls, int deferredQueued,
    long deferredReplayed, long deferredReplayFailed, long trialCalls, long healthyTrialCalls,
    long unhealthyTrialCalls) {
}
