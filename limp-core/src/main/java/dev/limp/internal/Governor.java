package dev.limp.internal;

import dev.limp.FeatureConfig;
import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.LimpClock;
import dev.limp.OperatorOverride;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides. A tick samples the signals (outside the lock), then under the decision lock
 * expires overrides, lets {@link GovernorDecider} turn the signals into the governor's level, and
 * reconciles: the effective level (a forced one wins) and the overrides become each feature's
 * {@link Admission} through {@link AdmissionPlanner}, swapped into the guards with one volatile write each.
 * Changes are reported (in decision order) through the {@link ChangeReporter}. Operator commands change the
 * {@link OverrideBook} through {@link #amend} and are reconciled the same way.
 *
 * <p>After the lock is released, the circuit breakers of features whose state changed are brought in line
 * with their latest admission (forced open while shed, closed when let back in), and deferred work of
 * restored features is handed to the {@link DeferredReplay}. The guards never take the lock. Thread-safe.
 */
final class Governor {
  private static final Logger LOG = LoggerFactory.getLogger(dev.limp.Limp.class);

  private final EngineSettings settings;
  private final LimpClock clock;
  private final FeatureTable features;
  private final SignalSampler sampler;
  private final ChangeReporter reporter;
  private final DeferredReplay replay;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final OverrideBook book = new OverrideBook();

  private volatile GovernorState state;
  private volatile SignalSnapshot signals = SignalSnapshot.empty();
  private volatile Level level = Level.NORMAL;
  private volatile String levelReason = GovernorState.CALM;
  private volatile Instant levelSince;

  Governor(EngineSettings settings, FeatureTable features, SignalSampler sampler, ChangeReporter reporter,
      DeferredReplay replay) {
    this.settings = settings;
    this.clock = settings.clock();
    this.features = features;
    this.sampler = sampler;
    this.reporter = reporter;
    this.replay = replay;
    this.state = GovernorState.initial(clock.nanoTime());
    this.levelSince = clock.instant();
  }

  /** One decision: sample, expire, decide, reconcile, then bring breakers and replays in line. */
  void tick() {
    SignalSnapshot sampled = sampler.sample(features.names());
    List<FeatureRuntime> changed;
    synchronized (lock) {
      long now = clock.nanoTime();
      Instant wall = clock.instant();
      List<OperatorOverride> expired = book.expire(now);
      reporter.expired(expired, wall);
      signals = sampled;
      Map<String, FeatureEvidence.Observations> seen = EvidenceReader.observations(features.all());
      state = GovernorDecider.decide(settings.policy(), sampled, state, now, new GovernorDecider.Evidence(
          EvidenceReader.healthyInARow(seen), EvidenceReader.levelRecovered(features.all(), seen)));
      changed = reconcile(now, wall, new AdmissionPlanner.Context(state.level(), state.reason(),
          book.forcedLevel(), settings.shadowMode(), settings.policy(), now, wall, state.culprits(),
          sampled.suspects().keySet(), seen, EvidenceReader.pressureNow(settings.policy(), sampled), true));
      for (FeatureRuntime f : features.all()) {
        Admission a = f.admission();
        if (a.state() == FeatureState.SHED && a.trials() && !changed.contains(f)) {
          f.evidence().armTrial(); // one trial call per tick, from the tick after the shed
        }
      }
    }
    followUp(changed);
    sampled.answering().ifPresent(this::closeCriticalBreakers);
    replay.tick(features.all()); // a round of deferred work for each admitted feature, at a bounded pace
    features.slots().sweepIfIdle(); // dead threads' slots folded within a tick, even if nobody reads counters
  }

  /** Declares a feature, planned at once with the current level and overrides. */
  FeatureRuntime declare(FeatureConfig feature) {
    FeatureRuntime runtime;
    List<FeatureRuntime> changed;
    synchronized (lock) {
      runtime = features.declare(feature, level, clock.nanoTime());
      changed = reconcile(clock.nanoTime(), clock.instant(), null);
    }
    followUp(changed);
    return runtime;
  }

  /** What an operator command changed, and the effective level around it. */
  record Amended<R>(R result, Level levelBefore, Level levelAfter, long nowNanos, Instant wall) {
  }

  /** An operator's change of the override book, made at {@code nowNanos} (monotonic) and {@code wall}. */
  interface Change<R> {
    R apply(OverrideBook book, long nowNanos, Instant wall);
  }

  /** Runs an operator's {@code change} of the override book under the decision lock, then reconciles. */
  <R> Amended<R> amend(Change<R> change) {
    Amended<R> amended;
    List<FeatureRuntime> changed;
    synchronized (lock) {
      Level before = level;
      long now = clock.nanoTime();
      Instant wall = clock.instant();
      R result = change.apply(book, now, wall);
      changed = reconcile(now, wall, null);
      amended = new Amended<>(result, before, level, now, wall);
    }
    followUp(changed);
    return amended;
  }

  /** The overrides in force, the forced level first. */
  List<OperatorOverride> overrides() {
    synchronized (lock) {
      return book.active();
    }
  }

  /**
   * Applies the effective level, the overrides and the evidence to every feature; returns those whose state
   * changed. A feature whose state or admitted fraction changed starts gathering evidence afresh.
   *
   * @param tick the context of a tick; {@code null} between ticks (an operator's command, a new feature)
   */
  private List<FeatureRuntime> reconcile(long now, Instant wall, AdmissionPlanner.Context tick) {
    OperatorOverride forced = book.forcedLevel();
    Level governed = state.level();
    Level next = forced != null ? book.forced() : governed;
    String reason = forced != null
        ? "operator forced level " + next + ": " + AdmissionPlanner.describe(forced)
        : state.reason();
    Level previous = level;
    levelReason = reason;
    if (next != previous) {
      level = next;
      levelSince = wall;
      features.all().forEach(f -> f.levelChanged(next));
      reporter.levelChanged(previous, next, reason, forced != null, wall);
    }
    AdmissionPlanner.Context context = tick != null ? tick : new AdmissionPlanner.Context(governed,
        state.reason(), forced, settings.shadowMode(), settings.policy(), now, wall, state.culprits());
    List<FeatureRuntime> changed = new ArrayList<>();
    for (FeatureRuntime f : features.sorted()) {
      Admission before = f.admission();
      Admission after = AdmissionPlanner.plan(f.name(), f.tier(), book.feature(f.name()), before, context);
      if (after == before) {
        continue;
      }
      f.admission(after);
      if (after.state() != before.state() || after.permille() != before.permille()) {
        f.evidence().reset();
      }
      if (after.state() != before.state()) {
        reporter.featureStateChanged(f, before, after, wall);
        changed.add(f);
      } else if (after.wouldShed() != before.wouldShed()) {
        reporter.wouldShedChanged(f, after, wall);
      }
    }
    return changed;
  }

  /** Outside the lock: each changed feature's breaker follows its latest admission; restored work replays. */
  private void followUp(List<FeatureRuntime> changed) {
    for (FeatureRuntime f : changed) {
      f.circuitBreaker().ifPresent(breaker -> alignBreaker(f, breaker));
      if (f.admission().state() != FeatureState.SHED) {
        replay.replaySoon(f);
      }
    }
  }

  /**
   * Forces the breaker open while the feature is shed and closes a breaker limp forced open once it is let
   * back in. Reads the admission at the time of the call under the breaker's monitor, so two followers
   * that race leave the breaker in line with the latest decision.
   */
  private void alignBreaker(FeatureRuntime f, CircuitBreaker breaker) {
    try {
      synchronized (breaker) {
        boolean shed = f.admission().state() == FeatureState.SHED;
        CircuitBreaker.State now = breaker.getState();
        if (shed && now != CircuitBreaker.State.FORCED_OPEN) {
          breaker.transitionToForcedOpenState();
        } else if (!shed && now == CircuitBreaker.State.FORCED_OPEN) {
          breaker.transitionToClosedState();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("limp[{}]: could not move the circuit breaker of '{}' along; the guard decides regardless",
          settings.name(), f.name(), e);
    }
  }

  /**
   * A source reports that the database answers again: a breaker that a critical feature was given and that
   * opened (limp never opens one for it) is closed, so that nothing automatic refuses the critical path.
   */
  private void closeCriticalBreakers(String evidence) {
    for (FeatureRuntime f : features.all()) {
      if (f.tier().compareTo(Tier.CRITICAL) > 0 || f.circuitBreaker().isEmpty()) {
        continue;
      }
      CircuitBreaker breaker = f.circuitBreaker().get();
      CircuitBreaker.State now = breaker.getState();
      if (now == CircuitBreaker.State.OPEN || now == CircuitBreaker.State.HALF_OPEN) {
        try {
          breaker.transitionToClosedState();
          LOG.info("limp[{}]: closed the circuit breaker of critical feature '{}' ({}): the database answers "
              + "again ({})", settings.name(), f.name(), now, evidence);
        } catch (RuntimeException e) {
          LOG.warn("limp[{}]: could not close the circuit breaker of '{}'", settings.name(), f.name(), e);
        }
      }
    }
  }

  Level level() {
    return level;
  }

  Level governorLevel() {
    return state.level();
  }

  String levelReason() {
    return levelReason;
  }

  Instant levelSince() {
    return levelSince;
  }

  SignalSnapshot signals() {
    return signals;
  }
}
