package dev.limp;

import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A limp instance: the features of one application, the governor that decides which to shed, and the
 * guards their calls go through.
 *
 * <pre>{@code
 * Limp limp = Limp.builder()
 *     .name("chat")
 *     .feature("chat.post", Tier.CRITICAL_PLUS)
 *     .feature("notifications", Tier.SHEDDABLE_PLUS)
 *     .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue(List.of()).build())
 *     .signalSource(mySignals)
 *     .policy(myPolicy)
 *     .build();
 *
 * FeatureGuard search = limp.guard("search");              // once, kept in a field
 * List<Message> hits = search.get(() -> dao.search(query)); // per call
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop its threads and unregister its MBean.
 */
public interface Limp extends AutoCloseable {

  /** Starts building an instance. */
  static LimpBuilder builder() {
    return new LimpBuilder();
  }

  /** The instance's name, unique per JVM when its MBean is registered. */
  String name();

  /**
   * The guard of a declared feature. Look it up once and keep it: this is a map lookup, the guard's calls
   * are not.
   *
   * @throws IllegalArgumentException naming the known features if there is no such feature
   */
  FeatureGuard guard(String feature);

  /** The guard of the named feature, if it is declared. */
  Optional<FeatureGuard> findGuard(String feature);

  /** Every declared feature's guard, by name. */
  Collection<FeatureGuard> guards();

  /**
   * Declares a feature after start (for instance from annotations), or returns the existing guard if a
   * feature of that name and tier is already declared.
   *
   * @throws IllegalStateException if the name is already declared with another tier
   */
  FeatureGuard declare(FeatureConfig feature);

  /**
   * Wraps an implementation of an interface so that its methods annotated with
   * {@link dev.limp.annotation.LimpFeature} run through their feature's guard. Features the annotations
   * name but the instance does not know are declared with the annotation's tier.
   *
   * @throws IllegalArgumentException if the annotations are misused (fallback method missing or of the
   *     wrong signature, deferral on a method that returns a value, …); the message says which method
   * @throws IllegalStateException if an annotation gives a feature another tier than it already has
   */
  <T> T proxy(Class<T> type, T target);

  /**
   * Resolves methods of a class that frameworks intercept themselves (the aspect of {@code limp-spring}),
   * each with the annotation that applies to it as the framework found it, and checks and declares them
   * exactly as {@link #proxy} does: fallback methods are looked up on the method's declaring type and on
   * {@code targetClass}, and features the annotations name but the instance does not know are declared
   * with the annotation's tier.
   *
   * @return an invoker per method, in a map keyed by the given methods
   * @throws IllegalArgumentException if an annotation is misused; the message says which method
   * @throws IllegalStateException if annotations give a feature two tiers, or another tier than it has
   */
  Map<Method, AnnotatedInvoker> annotatedMethods(Class<?> targetClass, Map<Method, LimpFeature> methods);

  /** The feature whose guarded work runs on the calling thread, if any (the innermost one when nested). */
  Optional<FeatureGuard> currentFeature();

  /** The effective level now. */
  Level level();

  /** A point-in-time view of the level, features, signals and overrides. */
  LimpStatus status();

  /**
   * The signal readings of the latest governor tick: the same as {@code status().signals()}, without
   * building the rest of the status and without taking the governor's lock. Cheap, for gauges.
   */
  default SignalSnapshot signals() {
    return status().signals();
  }

  /** The operator switch. */
  Overrides overrides();

  /** Whether the instance only reports what it would shed (operator overrides still act). */
  boolean isShadowMode();

  /**
   * Reads the signals and decides now. The governor thread calls this every tick; call it yourself when
   * the instance was built {@linkplain LimpBuilder#governorThread(boolean) without a governor thread} (in
   * tests, with a driven clock).
   */
  void tick();

  /** Adds a source of signals, read from the next tick on (for probes built after the instance). */
  void addSignalSource(SignalSource source);

  /** Removes a source added before. */
  void removeSignalSource(SignalSource source);

  /** Adds a listener; see {@link LimpListener} for how it is called. */
  void addListener(LimpListener listener);

  /** Removes a listener added before. */
  void removeListener(LimpListener listener);

  /** The registry holding the features' circuit breakers (each named after its feature). */
  CircuitBreakerRegistry circuitBreakerRegistry();

  /** The registry holding the features' bulkheads (each named after its feature). */
  BulkheadRegistry bulkheadRegistry();

  /**
   * Stops the governor and event threads and unregisters the MBean. Deferred work not yet replayed is
   * logged with its count. Guards keep answering with their last state.
   */
  @Override
  void close();
}
