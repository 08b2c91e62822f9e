package dev.limp;

import dev.limp.internal.Checks;
import dev.limp.internal.EngineSettings;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Builds a {@link Limp} instance. Each setter validates its value at once; {@link #build()} starts the
 * governor thread. Not thread-safe.
 */
public final class LimpBuilder {
  /** 250 ms: four decisions a second, fast enough to shed within a second of a signal crossing. */
  public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(250);

  /** 24 h: an override that nobody releases must not outlive the incident by long. */
  public static final Duration DEFAULT_MAX_OVERRIDE_DURATION = Duration.ofHours(24);

  /** The name of an instance built without {@link #name(String)}. */
  public static final String DEFAULT_NAME = "default";
  /** The longest {@code maxOverrideDuration}: no manual switch outlives a month. */
  public static final Duration MAX_MAX_OVERRIDE_DURATION = Duration.ofDays(30);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");

  private String name = DEFAULT_NAME;
  private LimpClock clock = LimpClock.system();
  private GovernorPolicy policy = GovernorPolicy.ofDefaults();
  private Duration tickInterval = DEFAULT_TICK_INTERVAL;
  private Duration maxOverrideDuration = DEFAULT_MAX_OVERRIDE_DURATION;
  private final Map<String, FeatureConfig> features = new LinkedHashMap<>();
  private final List<SignalSource> signalSources = new ArrayList<>();
  private final List<LimpListener> listeners = new ArrayList<>();
  private boolean shadowMode;
  private boolean governorThread = true;
  private boolean registerMBean;
  private CircuitBreakerRegistry circuitBreakerRegistry;
  private BulkheadRegistry bulkheadRegistry;
  private UnaryOperator<Overrides> overridesDecorator = UnaryOperator.identity();

  LimpBuilder() {
  }

  /**
   * The instance's name: in thread names, logs, metrics tags and the MBean's {@code ObjectName}.
   *
   * @throws IllegalArgumentException unless 1 to 64 letters, digits, '.', '_' or '-'
   */
  public LimpBuilder name(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '.', '_' or '-', starting "
          + "with a letter or digit, but was '" + name + "'");
    }
    this.name = name;
    return this;
  }

  /** Where time is read; tests pass a clock they drive. */
  public LimpBuilder clock(LimpClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** How signals become a level. Defaults to {@link GovernorPolicy#ofDefaults()}. */
  public LimpBuilder policy(GovernorPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * How often the governor reads the signals and decides.
   *
   * @throws IllegalArgumentException unless between 10 ms and 1 minute
   */
  public LimpBuilder tickInterval(Duration tickInterval) {
    Objects.requireNonNull(tickInterval, "tickInterval");
    if (tickInterval.compareTo(Duration.ofMillis(10)) < 0 || tickInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("tickInterval must be between 10 ms and 1 minute, but was "
          + tickInterval);
    }
    this.tickInterval = tickInterval;
    return this;
  }

  /**
   * The longest an operator override may last.
   *
   * @throws IllegalArgumentException if not positive, or longer than {@link #MAX_MAX_OVERRIDE_DURATION}
   */
  public LimpBuilder maxOverrideDuration(Duration maxOverrideDuration) {
    this.maxOverrideDuration = Checks.positiveAtMost("maxOverrideDuration", maxOverrideDuration,
        "MAX_MAX_OVERRIDE_DURATION: no manual switch outlives a month", MAX_MAX_OVERRIDE_DURATION);
    return this;
  }

  /**
   * Declares a feature.
   *
   * @throws IllegalArgumentException if a feature of the same name is already declared
   */
  public LimpBuilder feature(FeatureConfig feature) {
    Objects.requireNonNull(feature, "feature");
    if (features.containsKey(feature.name())) {
      throw new IllegalArgumentException("features: '" + feature.name() + "' is declared twice ("
          + features.get(feature.name()) + " and " + feature + "); feature names must be unique");
    }
    features.put(feature.name(), feature);
    return this;
  }

  /** Declares a feature with default settings. */
  public LimpBuilder feature(String name, Tier tier) {
    return feature(FeatureConfig.of(name, tier));
  }

  /** Adds a source of signals read at every tick. */
  public LimpBuilder signalSource(SignalSource source) {
    signalSources.add(Objects.requireNonNull(source, "signalSource"));
    return this;
  }

  /** Adds a listener. */
  public LimpBuilder listener(LimpListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Shadow mode: the governor decides and reports what it would shed (logs, events, status, metrics) but
   * sheds nothing. Operator overrides still act: they are explicit human decisions.
   */
  public LimpBuilder shadowMode(boolean shadowMode) {
    this.shadowMode = shadowMode;
    return this;
  }

  /**
   * Whether to run the governor on its own daemon thread ({@code limp-governor-<name>}), ticking every
   * {@link #tickInterval(Duration)}. Without it, call {@link Limp#tick()} yourself. Default {@code true}.
   */
  public LimpBuilder governorThread(boolean governorThread) {
    this.governorThread = governorThread;
    return this;
  }

  /**
   * Registers the operator MXBean with the platform MBeanServer under
   * {@code dev.limp:type=Limp,name=<name>} at build, and unregisters it at close. Default {@code false}
   * (frameworks register it through their own exporter).
   */
  public LimpBuilder registerMBean(boolean registerMBean) {
    this.registerMBean = registerMBean;
    return this;
  }

  /** The registry the features' circuit breakers are created in, to share it with other tooling. */
  public LimpBuilder circuitBreakerRegistry(CircuitBreakerRegistry registry) {
    this.circuitBreakerRegistry = Objects.requireNonNull(registry, "circuitBreakerRegistry");
    return this;
  }

  /** The registry the features' bulkheads are created in. */
  public LimpBuilder bulkheadRegistry(BulkheadRegistry registry) {
    this.bulkheadRegistry = Objects.requireNonNull(registry, "bulkheadRegistry");
    return this;
  }

  /**
   * Puts a front end before the operator switch: {@link Limp#overrides()} (and so JMX, Actuator and every
   * other front end that calls it) returns what {@code decorator} makes of the instance's own switch. For
   * modules that carry an operator's command beyond one instance: {@code limp-redis} stores each command for
   * the whole fleet first and refuses it when it cannot. Called once, at build, with a switch that changes
   * this instance only; it must not return {@code null}. Default: the instance's own switch.
   */
  public LimpBuilder overridesDecorator(UnaryOperator<Overrides> decorator) {
    this.overridesDecorator = Objects.requireNonNull(decorator, "overridesDecorator");
    return this;
  }

  /**
   * Builds and starts the instance.
   *
   * @throws IllegalStateException if the MBean cannot be registered (another instance has the same name)
   */
  public Limp build() {
    return new EngineSettings(name, clock, policy, tickInterval, maxOverrideDuration,
        List.copyOf(features.values()), List.copyOf(signalSources), List.copyOf(listeners), shadowMode,
        governorThread, registerMBean,
        circuitBreakerRegistry != null ? circuitBreakerRegistry : CircuitBreakerRegistry.ofDefaults(),
        bulkheadRegistry != null ? bulkheadRegistry : BulkheadRegistry.ofDefaults(), overridesDecorator).start();
  }
}
