package dev.limp.internal;

import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.FeatureStatus;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpClock;
import dev.limp.LimpListener;
import dev.limp.LimpStatus;
import dev.limp.OperatorOverride;
import dev.limp.OverrideChangedEvent;
import dev.limp.Overrides;
import dev.limp.Signal;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import dev.limp.jmx.LimpJmx;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limp instance: features, governor, overrides, events. Decisions are made under one lock (ticks and
 * operator commands), published to the guards by swapping each feature's volatile {@link Admission}, and
 * reported through the event thread. The guards never take the lock.
 */
public final class LimpEngine implements Limp {
  private static final Logger LOG = LoggerFactory.getLogger(Limp.class);

  /** Everything the builder collected, validated. */
  public record Settings(String name, LimpClock clock, GovernorPolicy policy, Duration tickInterval,
      Duration maxOverrideDuration, List<FeatureConfig> features, List<SignalSource> signalSources,
      List<LimpListener> listeners, boolean shadowMode, boolean governorThread, boolean registerMBean,
      CircuitBreakerRegistry circuitBreakerRegistry, BulkheadRegistry bulkheadRegistry) {
  }

  private final Settings settings;
  private final String name;
  private final LimpClock clock;
  private final Object lock = new Object();
  private final Map<String, FeatureRuntime> features = new ConcurrentHashMap<>();
  private final ThreadSlots slots = new ThreadSlots();
  /** The index of the next feature declared; guarded by {@link #lock}. */
  private int nextFeatureIndex;
  private final EventDispatcher events;
  private final ExecutorService replayer;
  private final ScheduledExecutorService governor;
  private final OverrideBook overrideBook = new OverrideBook();
  private final OperatorSwitch operatorSwitch = new OperatorSwitch();
  private final LimpJmx.Registration mbean;
  private final Map<SignalSource, Long> lastSourceWarning = new ConcurrentHashMap<>();
  private final List<SignalSource> signalSources = new CopyOnWriteArrayList<>();

  private volatile GovernorState governorState;
  private volatile SignalSnapshot signals = SignalSnapshot.empty();
  private volatile Level level = Level.NORMAL;
  private volatile String levelReason = GovernorState.CALM;
  private volatile Instant levelSince;
  private volatile boolean closed;

  public LimpEngine(Settings settings) {
    this.settings = settings;
    this.name = settings.name();
    this.clock = settings.clock();
    this.events = new EventDispatcher(name, settings.listeners());
    this.replayer = Executors.newSingleThreadExecutor(new LimpThreads("limp-replay-" + name));
    this.signalSources.addAll(settings.signalSources());
    long now = clock.nanoTime();
    this.governorState = GovernorState.initial(now);
    this.levelSince = clock.instant();
    synchronized (lock) {
      for (FeatureConfig feature : settings.features()) {
        addFeature(feature, now);
      }
    }
    LimpJmx.Registration registration = null;
    if (settings.registerMBean()) {
      try {
        registration = LimpJmx.registerPlatform(this);
      } catch (RuntimeException e) {
        events.close();
        replayer.shutdown();
        throw e;
      }
    }
    this.mbean = registration;
    if (settings.governorThread()) {
      governor = Executors.newSingleThreadScheduledExecutor(new LimpThreads("limp-governor-" + name));
      long period = settings.tickInterval().toNanos();
      governor.scheduleWithFixedDelay(this::tickSafely, period, period, TimeUnit.NANOSECONDS);
    } else {
      governor = null;
    }
    LOG.info("limp[{}]: started with {} features{}, tick {} ms{}", name, features.size(),
        settings.shadowMode() ? " in SHADOW MODE (reports, sheds nothing)" : "",
        settings.tickInterval().toMillis(), settings.governorThread() ? "" : " (ticked by the application)");
  }

  LimpClock clock() {
    return clock;
  }

  public Settings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- features

  @Override
  public String name() {
    return name;
  }

  @Override
  public FeatureGuard guard(String feature) {
    Objects.requireNonNull(feature, "feature");
    FeatureRuntime f = features.get(feature);
    if (f == null) {
      throw unknownFeature(feature);
    }
    return f;
  }

  IllegalArgumentException unknownFeature(String feature) {
    return new IllegalArgumentException("unknown feature '" + feature + "'; declared features are "
        + new TreeMap<>(features).keySet());
  }

  @Override
  public Optional<FeatureGuard> findGuard(String feature) {
    return Optional.ofNullable(features.get(Objects.requireNonNull(feature, "feature")));
  }

  @Override
  public Collection<FeatureGuard> guards() {
    return List.copyOf(new TreeMap<>(features).values());
  }

  @Override
  public FeatureGuard declare(FeatureConfig feature) {
    Objects.requireNonNull(feature, "feature");
    synchronized (lock) {
      FeatureRuntime existing = features.get(feature.name());
      if (existing != null) {
        if (existing.tier() != feature.tier()) {
          throw new IllegalStateException("feature '" + feature.name() + "' is declared as " + existing.tier()
              + " and again as " + feature.tier() + "; a feature has one tier");
        }
        return existing;
      }
      FeatureRuntime added = addFeature(feature, clock.nanoTime());
      reconcile(clock.nanoTime(), clock.instant());
      return added;
    }
  }

  private FeatureRuntime addFeature(FeatureConfig feature, long now) {
    CircuitBreaker breaker = feature.circuitBreaker()
        .map(config -> settings.circuitBreakerRegistry().circuitBreaker(feature.name(), config))
        .orElse(null);
    Bulkhead bulkhead = feature.bulkhead()
        .map(config -> settings.bulkheadRegistry().bulkhead(feature.name(), config))
        .orElse(null);
    FeatureRuntime runtime = new FeatureRuntime(feature, nextFeatureIndex++, breaker, bulkhead, slots, this, now);
    runtime.levelChanged(level);
    features.put(feature.name(), runtime);
    return runtime;
  }

  @Override
  public <T> T proxy(Class<T> type, T target) {
    return AnnotatedProxies.create(this, type, target);
  }

  @Override
  public Map<Method, AnnotatedInvoker> annotatedMethods(Class<?> targetClass,
      Map<Method, LimpFeature> methods) {
    return AnnotatedProxies.resolve(this, targetClass, methods);
  }

  @Override
  public Optional<FeatureGuard> currentFeature() {
    return Optional.ofNullable(slots.current());
  }

  /** The feature whose work runs on the calling thread, or {@code null}: {@link #currentFeature()} without
   * the {@code Optional}, for the JDBC hot path. */
  public FeatureGuard currentGuard() {
    return slots.current();
  }

  // ---------------------------------------------------------------- the governor

  private void tickSafely() {
    try {
      tick();
    } catch (Throwable t) { // the schedule must go on: a dead governor would freeze the level
      LOG.error("limp[{}]: governor tick failed; the level stays {} until the next tick", name, level, t);
    }
  }

  @Override
  public void tick() {
    SignalSnapshot sampled = sample();
    synchronized (lock) {
      long now = clock.nanoTime();
      Instant wall = clock.instant();
      expireOverrides(now, wall);
      signals = sampled;
      governorState = GovernorDecider.decide(settings.policy(), sampled, governorState, now);
      reconcile(now, wall);
    }
    slots.sweepIfIdle(); // dead threads' slots folded within a tick, even if nobody reads the counters
  }

  /** Reads every source outside the lock; a source that throws counts as missing for this tick. */
  private SignalSnapshot sample() {
    if (signalSources.isEmpty()) {
      return SignalSnapshot.empty();
    }
    Map<Signal, Double> readings = new LinkedHashMap<>();
    Map<String, String> suspects = new LinkedHashMap<>();
    for (SignalSource source : signalSources) {
      SourceSink own = new SourceSink();
      try {
        source.sample(own);
        readings.putAll(own.readings);
        suspects.putAll(own.suspects);
      } catch (RuntimeException | Error e) { // an Error too: the other sources and the decision go on
        long now = clock.nanoTime();
        Long last = lastSourceWarning.get(source);
        if (last == null || now - last > TimeUnit.SECONDS.toNanos(60)) {
          lastSourceWarning.put(source, now);
          LOG.warn("limp[{}]: signal source {} failed; its signals are missing this tick (logged at most "
              + "once a minute per source)", name, source, e);
        }
      }
    }
    suspects.keySet().retainAll(features.keySet());
    return SignalSnapshot.of(readings, suspects);
  }

  /** One source's readings of one tick, kept apart until the source returns normally. */
  private static final class SourceSink implements SignalSource.Sink {
    final Map<Signal, Double> readings = new LinkedHashMap<>();
    final Map<String, String> suspects = new LinkedHashMap<>();

    @Override
    public void put(Signal signal, double value) {
      readings.put(Objects.requireNonNull(signal, "signal"), value);
    }

    @Override
    public void suspect(String feature, String reason) {
      suspects.put(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(reason, "reason"));
    }
  }

  /** Adds a source of signals, read from the next tick on. */
  @Override
  public void addSignalSource(SignalSource source) {
    signalSources.add(Objects.requireNonNull(source, "source"));
  }

  @Override
  public void removeSignalSource(SignalSource source) {
    signalSources.remove(source);
  }

  private void expireOverrides(long now, Instant wall) {
    for (OperatorOverride expired : overrideBook.expire(now)) {
      LOG.info("limp[{}]: override expired: {}", name, expired);
      events.overrideChanged(new OverrideChangedEvent(name, expired, OverrideChangedEvent.Action.EXPIRED,
          "limp", wall));
    }
  }

  /** Applies the effective level and overrides to every feature. Caller holds the lock. */
  private void reconcile(long now, Instant wall) {
    OperatorOverride forced = overrideBook.forcedLevel();
    Level governed = governorState.level();
    Level next = forced != null ? Level.parse(forced.target()) : governed;
    String reason = forced != null
        ? "operator forced level " + next + ": " + AdmissionPlanner.describe(forced)
        : governorState.reason();
    Level previous = level;
    if (next != previous) {
      level = next;
      levelSince = wall;
      levelReason = reason;
      features.values().forEach(f -> f.levelChanged(next));
      logLevelChange(previous, next, reason, forced != null);
      events.levelChanged(new LevelChangedEvent(name, previous, next, reason, forced != null,
          settings.shadowMode(), wall));
    } else {
      levelReason = reason;
    }
    AdmissionPlanner.Context context = new AdmissionPlanner.Context(governed, governorState.reason(), forced,
        settings.shadowMode(), settings.policy(), now, wall, governorState.culprits());
    for (FeatureRuntime f : new TreeMap<>(features).values()) {
      Admission before = f.admission();
      Admission after = AdmissionPlanner.plan(f.name(), f.tier(), overrideBook.feature(f.name()), before,
          context);
      if (after == before) {
        continue;
      }
      f.admission(after);
      if (after.state() != before.state()) {
        featureStateChanged(f, before, after, wall);
      } else if (after.wouldShed() != before.wouldShed()) {
        shadowChanged(f, after, wall);
      }
    }
  }

  private void logLevelChange(Level from, Level to, String reason, boolean overridden) {
    String who = overridden ? "operator" : settings.shadowMode() ? "governor (SHADOW MODE, nothing shed)"
        : "governor";
    if (to.compareTo(Level.SHED_SHEDDABLE_PLUS) >= 0 && to.compareTo(from) > 0) {
      LOG.warn("limp[{}]: level {} → {} by {}: {}", name, from, to, who, reason);
    } else {
      LOG.info("limp[{}]: level {} → {} by {}: {}", name, from, to, who, reason);
    }
  }

  private void featureStateChanged(FeatureRuntime f, Admission before, Admission after, Instant wall) {
    CircuitBreaker breaker = f.circuitBreaker().orElse(null);
    if (breaker != null) {
      try {
        if (after.state() == FeatureState.SHED) {
          breaker.transitionToForcedOpenState();
        } else if (before.state() == FeatureState.SHED) {
          breaker.transitionToClosedState();
        }
      } catch (RuntimeException e) {
        LOG.warn("limp[{}]: could not move the circuit breaker of '{}' along; the guard decides regardless",
            name, f.name(), e);
      }
    }
    switch (after.state()) {
      case SHED -> LOG.info("limp[{}]: feature '{}' ({}) shed: {}", name, f.name(), f.tier(),
          after.reason().detail());
      case RAMPING -> LOG.info("limp[{}]: feature '{}' ({}) let back in: {}", name, f.name(), f.tier(),
          after.reason().detail());
      case ACTIVE -> LOG.info("limp[{}]: feature '{}' ({}) fully restored{}", name, f.name(), f.tier(),
          after.pinned() ? " (pinned by operator)" : "");
    }
    events.featureStateChanged(new FeatureStateChangedEvent(name, f.name(), f.tier(), before.state(),
        after.state(), after.reason(), false, wall));
    if (before.state() == FeatureState.SHED) {
      replay(f);
    }
  }

  private void shadowChanged(FeatureRuntime f, Admission after, Instant wall) {
    if (after.wouldShed()) {
      LOG.info("limp[{}]: SHADOW MODE: would shed feature '{}' ({}): {}", name, f.name(), f.tier(),
          after.wouldShedReason().detail());
      events.featureStateChanged(new FeatureStateChangedEvent(name, f.name(), f.tier(), FeatureState.ACTIVE,
          FeatureState.SHED, after.wouldShedReason(), true, wall));
    } else {
      LOG.info("limp[{}]: SHADOW MODE: would restore feature '{}' ({})", name, f.name(), f.tier());
      events.featureStateChanged(new FeatureStateChangedEvent(name, f.name(), f.tier(), FeatureState.SHED,
          FeatureState.ACTIVE, null, true, wall));
    }
  }

  // ---------------------------------------------------------------- deferred work

  /** Schedules a replay of the feature's deferred work on the replay thread, once at a time per feature. */
  void replay(FeatureRuntime f) {
    if (f.deferredQueued() == 0 || closed || !f.replayRequested.compareAndSet(false, true)) {
      return;
    }
    try {
      replayer.execute(() -> {
        try {
          f.replayDeferred();
        } finally {
          f.replayRequested.set(false);
          if (f.deferredQueued() > 0 && f.admission().state() != FeatureState.SHED) {
            replay(f);
          }
        }
      });
    } catch (RuntimeException rejected) { // closed meanwhile
      f.replayRequested.set(false);
    }
  }

  void deferredWorkDropped(FeatureRuntime f, int capacity, long droppedSoFar) {
    if (droppedSoFar == 1 || Long.bitCount(droppedSoFar) == 1) {
      LOG.warn("limp[{}]: deferred work of feature '{}' dropped: the queue of {} is full ({} dropped so far)",
          name, f.name(), capacity, droppedSoFar);
    }
    events.deferredWorkDropped(new DeferredWorkDroppedEvent(name, f.name(), capacity, droppedSoFar,
        clock.instant()));
  }

  // ---------------------------------------------------------------- status

  @Override
  public Level level() {
    return level;
  }

  @Override
  public boolean isShadowMode() {
    return settings.shadowMode();
  }

  @Override
  public LimpStatus status() {
    List<FeatureStatus> list = new ArrayList<>();
    for (FeatureRuntime f : new TreeMap<>(features).values()) {
      Admission a = f.admission();
      list.add(new FeatureStatus(f.name(), f.tier(), a.state(), a.permille() / (double) Admission.ALL,
          a.reason(), a.wouldShed(), a.pinned(), f.circuitBreaker().map(b -> b.getState().name()).orElse(null),
          f.counters.outcomes(), f.counters.handlings(), f.deferredQueued(), f.counters.replayed()
              + f.counters.replayFailed()));
    }
    List<OperatorOverride> active;
    synchronized (lock) {
      active = overrideBook.active();
    }
    return new LimpStatus(name, level, governorState.level(), levelReason, levelSince, settings.shadowMode(),
        List.copyOf(list), signals, active);
  }

  @Override
  public SignalSnapshot signals() {
    return signals;
  }

  @Override
  public Overrides overrides() {
    return operatorSwitch;
  }

  @Override
  public void addListener(LimpListener listener) {
    events.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(LimpListener listener) {
    events.remove(listener);
  }

  @Override
  public CircuitBreakerRegistry circuitBreakerRegistry() {
    return settings.circuitBreakerRegistry();
  }

  @Override
  public BulkheadRegistry bulkheadRegistry() {
    return settings.bulkheadRegistry();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (governor != null) {
      governor.shutdownNow();
    }
    if (mbean != null) {
      mbean.close();
    }
    replayer.shutdown();
    try {
      replayer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.close();
    int waiting = features.values().stream().mapToInt(FeatureRuntime::deferredQueued).sum();
    if (waiting > 0) {
      LOG.warn("limp[{}]: closed with {} deferred work items not replayed: {}", name, waiting,
          features.values().stream().filter(f -> f.deferredQueued() > 0)
              .map(f -> f.name() + "=" + f.deferredQueued()).toList());
    }
    LOG.info("limp[{}]: closed", name);
  }

  @Override
  public String toString() {
    return "Limp[" + name + ", " + level + (settings.shadowMode() ? ", shadow" : "") + "]";
  }

  // ---------------------------------------------------------------- the operator switch

  /** The operator switch: validates first, changes state only when every check passed. */
  private final class OperatorSwitch implements Overrides {
    @Override
    public OperatorOverride forceLevel(Level target, Duration duration, String reason, String actor) {
      Objects.requireNonNull(target, "level");
      return apply(OperatorOverride.Kind.FORCE_LEVEL, target.name(), duration, reason, actor);
    }

    @Override
    public OperatorOverride shed(String feature, Duration duration, String reason, String actor) {
      FeatureRuntime f = known(feature);
      if (f.tier().isTop()) {
        throw new IllegalArgumentException("feature '" + feature + "' is " + f.tier() + ", the top tier; "
            + "shedding it takes the explicit top-tier operation (shedTopTier)");
      }
      return apply(OperatorOverride.Kind.SHED_FEATURE, feature, duration, reason, actor);
    }

    @Override
    public OperatorOverride shedTopTier(String feature, Duration duration, String reason, String actor) {
      FeatureRuntime f = known(feature);
      if (!f.tier().isTop()) {
        throw new IllegalArgumentException("feature '" + feature + "' is " + f.tier() + ", not the top tier; "
            + "use shed");
      }
      return apply(OperatorOverride.Kind.SHED_FEATURE, feature, duration, reason, actor);
    }

    @Override
    public OperatorOverride pin(String feature, Duration duration, String reason, String actor) {
      known(feature);
      return apply(OperatorOverride.Kind.PIN_FEATURE, feature, duration, reason, actor);
    }

    @Override
    public boolean releaseLevel(String actor) {
      String who = actor(actor);
      synchronized (lock) {
        Level before = level;
        OperatorOverride removed = overrideBook.removeForcedLevel();
        if (removed == null) {
          return false;
        }
        reconcile(clock.nanoTime(), clock.instant());
        LOG.info("limp[{}]: {} released the forced level ({}); level {} → {}", name, who, removed, before, level);
        events.overrideChanged(new OverrideChangedEvent(name, removed, OverrideChangedEvent.Action.RELEASED,
            who, clock.instant()));
        return true;
      }
    }

    @Override
    public boolean releaseFeature(String feature, String actor) {
      FeatureRuntime f = known(feature);
      String who = actor(actor);
      synchronized (lock) {
        FeatureState before = f.state();
        OperatorOverride removed = overrideBook.removeFeature(feature);
        if (removed == null) {
          return false;
        }
        reconcile(clock.nanoTime(), clock.instant());
        LOG.info("limp[{}]: {} released the override of '{}' ({}); feature {} → {}", name, who, feature,
            removed, before, f.state());
        events.overrideChanged(new OverrideChangedEvent(name, removed, OverrideChangedEvent.Action.RELEASED,
            who, clock.instant()));
        return true;
      }
    }

    @Override
    public int releaseAll(String actor) {
      String who = actor(actor);
      synchronized (lock) {
        List<OperatorOverride> all = overrideBook.active();
        if (all.isEmpty()) {
          return 0;
        }
        Level before = level;
        overrideBook.removeForcedLevel();
        all.forEach(o -> overrideBook.removeFeature(o.target()));
        reconcile(clock.nanoTime(), clock.instant());
        LOG.info("limp[{}]: {} released all {} overrides {}; level {} → {}", name, who, all.size(), all, before,
            level);
        Instant wall = clock.instant();
        all.forEach(o -> events.overrideChanged(new OverrideChangedEvent(name, o,
            OverrideChangedEvent.Action.RELEASED, who, wall)));
        return all.size();
      }
    }

    @Override
    public List<OperatorOverride> active() {
      synchronized (lock) {
        return overrideBook.active();
      }
    }

    private FeatureRuntime known(String feature) {
      Objects.requireNonNull(feature, "feature");
      FeatureRuntime f = features.get(feature);
      if (f == null) {
        throw unknownFeature(feature);
      }
      return f;
    }

    private OperatorOverride apply(OperatorOverride.Kind kind, String target, Duration duration, String reason,
        String actor) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("duration must be positive, but was " + duration);
      }
      if (duration.compareTo(settings.maxOverrideDuration()) > 0) {
        throw new IllegalArgumentException("duration must be at most " + settings.maxOverrideDuration()
            + " (maxOverrideDuration), but was " + duration);
      }
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("reason must say why (it is logged and shown to other operators), "
            + "but was " + (reason == null ? "missing" : "blank"));
      }
      String who = actor(actor);
      synchronized (lock) {
        long now = clock.nanoTime();
        Instant wall = clock.instant();
        OperatorOverride override = new OperatorOverride(kind, target, reason.strip(), who, wall,
            wall.plus(duration));
        OverrideBook.Entry entry = new OverrideBook.Entry(override, now + duration.toNanos());
        Level levelBefore = level;
        FeatureRuntime f = kind == OperatorOverride.Kind.FORCE_LEVEL ? null : features.get(target);
        FeatureState stateBefore = f == null ? null : f.state();
        OperatorOverride replaced = kind == OperatorOverride.Kind.FORCE_LEVEL
            ? overrideBook.putForcedLevel(entry) : overrideBook.putFeature(entry);
        reconcile(now, wall);
        if (f == null) {
          LOG.info("limp[{}]: {} forced level {} for {} ({}); level {} → {}", name, who, target, duration,
              override.reason(), levelBefore, level);
        } else {
          LOG.info("limp[{}]: {} {} feature '{}' for {} ({}); feature {} → {}", name, who,
              kind == OperatorOverride.Kind.PIN_FEATURE ? "pinned" : "shed", target, duration, override.reason(),
              stateBefore, f.state());
        }
        if (replaced != null) {
          events.overrideChanged(new OverrideChangedEvent(name, replaced, OverrideChangedEvent.Action.REPLACED,
              who, wall));
        }
        events.overrideChanged(new OverrideChangedEvent(name, override, OverrideChangedEvent.Action.APPLIED,
            who, wall));
        return override;
      }
    }

    private String actor(String actor) {
      return actor == null || actor.isBlank() ? "unknown" : actor.strip();
    }
  }
}
