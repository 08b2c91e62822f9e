package dev.limp.internal;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureStatus;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.LimpStatus;
import dev.limp.Overrides;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import dev.limp.jmx.LimpJmx;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limp instance: wires its rooms together and runs their lifecycle. The {@link FeatureTable} holds the
 * features and their guards, the {@link SignalSampler} and the {@link Governor} measure and decide, the
 * {@link OperatorSwitch} takes operators' commands, the {@link ChangeReporter} and {@link EventDispatcher}
 * tell the world, the {@link DeferredReplay} replays deferred work. Thread-safe.
 */
final class LimpEngine implements Limp, LimpInternals {
  private static final Logger LOG = LoggerFactory.getLogger(Limp.class);
  /** How long {@link #close()} waits for the replay thread, then for the event thread, before interrupting. */
  static final long CLOSE_TIMEOUT_MILLIS = 2_000;

  private final EngineSettings settings;
  private final String name;
  private final EventDispatcher events;
  private final DeferredReplay replay;
  private final FeatureTable features;
  private final SignalSampler sampler;
  private final Governor governor;
  private final OperatorSwitch operatorSwitch;
  /** What {@link #overrides()} hands out: the switch, or a front end a module put before it. */
  private final Overrides frontEnd;
  private final LimpJmx.Registration mbean;
  private final ScheduledExecutorService governorThread;
  private volatile boolean closed;

  LimpEngine(EngineSettings settings) {
    this.settings = settings;
    this.name = settings.name();
    this.events = new EventDispatcher(name, settings.listeners());
    this.replay = new DeferredReplay(name, settings.clock(), events);
    this.features = new FeatureTable(settings, replay);
    this.sampler = new SignalSampler(name, settings.clock(), settings.tickInterval(), settings.signalSources());
    ChangeReporter reporter = new ChangeReporter(name, settings.shadowMode(), events);
    this.governor = new Governor(settings, features, sampler, reporter, replay);
    this.operatorSwitch = new OperatorSwitch(features, governor, reporter, settings.maxOverrideDuration());
    this.frontEnd = decorate(operatorSwitch);
    for (FeatureConfig feature : settings.features()) {
      governor.declare(feature);
    }
    this.mbean = registerMBean();
    if (settings.governorThread()) {
      governorThread = Executors.newSingleThreadScheduledExecutor(new LimpThreads("limp-governor-" + name));
      long period = settings.tickInterval().toNanos();
      governorThread.scheduleWithFixedDelay(this::tickSafely, period, period, TimeUnit.NANOSECONDS);
    } else {
      governorThread = null;
    }
    LOG.info("limp[{}]: started with {} features{}, tick {} ms{}", name, features.size(),
        settings.shadowMode() ? " in SHADOW MODE (reports, sheds nothing)" : "",
        settings.tickInterval().toMillis(), settings.governorThread() ? "" : " (ticked by the application)");
  }

  private Overrides decorate(Overrides own) {
    try {
      return Objects.requireNonNull(settings.overridesDecorator().apply(own),
          "overridesDecorator returned null; return the switch it was given to keep it as it is");
    } catch (RuntimeException e) {
      replay.close(List.of(), 0);
      events.close(0, name);
      throw e;
    }
  }

  private LimpJmx.Registration registerMBean() {
    if (!settings.registerMBean()) {
      return null;
    }
    try {
      return LimpJmx.registerPlatform(this);
    } catch (RuntimeException e) {
      replay.close(List.of(), 0);
      events.close(0, name);
      throw e;
    }
  }

  EngineSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------- features

  @Override
  public String name() {
    return name;
  }

  @Override
  public FeatureGuard guard(String feature) {
    return features.require(Objects.requireNonNull(feature, "feature"));
  }

  @Override
  public Optional<FeatureGuard> findGuard(String feature) {
    return Optional.ofNullable(features.find(feature));
  }

  @Override
  public Collection<FeatureGuard> guards() {
    return List.copyOf(features.sorted());
  }

  @Override
  public FeatureGuard declare(FeatureConfig feature) {
    return governor.declare(Objects.requireNonNull(feature, "feature"));
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
    return Optional.ofNullable(features.current());
  }

  @Override
  public FeatureGuard currentGuard() {
    return features.current();
  }

  // ---------------------------------------------------------------- the governor

  private void tickSafely() {
    try {
      tick();
    } catch (Throwable t) { // the schedule must go on: a dead governor would freeze the level
      LOG.error("limp[{}]: governor tick failed; the level stays {} until the next tick", name, level(), t);
    }
  }

  @Override
  public void tick() {
    governor.tick();
  }

  @Override
  public void addSignalSource(SignalSource source) {
    sampler.add(source);
  }

  @Override
  public void removeSignalSource(SignalSource source) {
    sampler.remove(source);
  }

  // ---------------------------------------------------------------- status

  @Override
  public Level level() {
    return governor.level();
  }

  @Override
  public boolean isShadowMode() {
    return settings.shadowMode();
  }

  @Override
  public LimpStatus status() {
    List<FeatureStatus> list = features.sorted().stream().map(LimpEngine::status).toList();
    return new LimpStatus(name, governor.level(), governor.governorLevel(), governor.levelReason(),
        governor.levelSince(), settings.shadowMode(), list, governor.signals(), governor.overrides());
  }

  private static FeatureStatus status(FeatureRuntime f) {
    Admission a = f.admission();
    return new FeatureStatus(f.name(), f.tier(), a.state(), a.permille() / (double) Admission.ALL, a.reason(),
        a.wouldShed(), a.pinned(), f.circuitBreaker().map(b -> b.getState().name()).orElse(null),
        f.counters.outcomes(), f.counters.handlings(), f.deferredQueued(),
        f.counters.replayed(), f.counters.replayFailed(), f.trialCalls(), f.healthyTrialCalls(),
        f.unhealthyTrialCalls());
  }

  @Override
  public SignalSnapshot signals() {
    return governor.signals();
  }

  @Override
  public Overrides overrides() {
    return frontEnd;
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

  // ---------------------------------------------------------------- lifecycle

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (governorThread != null) {
      governorThread.shutdownNow();
    }
    if (mbean != null) {
      mbean.close();
    }
    sampler.close();
    replay.close(features.all(), CLOSE_TIMEOUT_MILLIS);
    events.close(CLOSE_TIMEOUT_MILLIS, name);
    LOG.info("limp[{}]: closed", name);
  }

  @Override
  public String toString() {
    return "Limp[" + name + ", " + level() + (settings.shadowMode() ? ", shadow" : "") + "]";
  }
}
