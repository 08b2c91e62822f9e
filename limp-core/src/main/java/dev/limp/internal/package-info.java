/**
 * The engine behind {@link dev.limp.Limp}. <b>Not API</b>: anything here may change without notice.
 *
 * <p>The rooms, following the data flow measure → decide → act:
 * <ul>
 *   <li>{@code LimpEngine}: the facade and the lifecycle, wiring the rooms together;
 *       {@code EngineSettings}: what the builder validated, and how an engine is started;</li>
 *   <li>{@code FeatureTable}: the features by name and the per-thread {@code ThreadSlots} their guards count
 *       in ({@code CallCounters});</li>
 *   <li>measuring: {@code SignalSampler} reads the signal sources each tick;</li>
 *   <li>deciding: {@code Governor} (the decision lock, tick and reconcile), {@code GovernorDecider} and
 *       {@code GovernorState} (signals to a level, hysteresis, dwell, culprits), {@code AdmissionPlanner}
 *       (level, overrides and evidence to each feature's {@code Admission}), {@code CulpritThrottle} (a
 *       culprit limited before it is shed), {@code EvidenceReader} (what the features' own calls say);</li>
 *   <li>operators: {@code OperatorSwitch} (every command's rules, once) over the {@code OverrideBook};
 *       {@code Checks}: the validation rules every builder and front end shares;</li>
 *   <li>acting: {@code FeatureRuntime} (the guard: one admit/run template over {@code WorkShape}s),
 *       {@code Permits} (the resilience4j breaker and bulkhead bookkeeping), {@code FeatureEvidence} (trial
 *       calls, the throttle's places, watched calls), {@code ShedAnswers} (the fallback chain, stale values,
 *       deferral), {@code DeferredQueue} and {@code DeferredReplay} (behind {@code DeferralHost});</li>
 *   <li>reporting: {@code ChangeReporter} (logs and events), {@code EventDispatcher} (the event thread);</li>
 *   <li>annotations: {@code AnnotatedProxies} and {@code AnnotatedMethod}.</li>
 * </ul>
 */
package dev.limp.internal;
