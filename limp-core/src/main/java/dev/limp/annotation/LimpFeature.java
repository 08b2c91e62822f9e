package dev.limp.annotation;

import dev.limp.Tier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method through the guard of a feature. On an interface method, it applies to that method; on an
 * interface, to each of its methods that has no annotation of its own. Applied by
 * {@link dev.limp.Limp#proxy(Class, Object)} in plain Java, and by the aspect of {@code limp-spring}.
 *
 * <pre>{@code
 * interface SearchService {
 *   @LimpFeature(name = "search", tier = Tier.SHEDDABLE, staleValues = true, fallbackMethod = "noHits")
 *   List<Message> search(String room, String query);
 *
 *   default List<Message> noHits(String room, String query, ShedReason reason) {
 *     return List.of();
 *   }
 * }
 * }</pre>
 *
 * <p>When the call is shed, the caller gets, in order: the fallback method's value; the last good value for
 * the same arguments (with {@link #staleValues()}); the empty value of the return type (with
 * {@link OnShed#EMPTY}); or a {@link dev.limp.FeatureShedException}. A {@code void} method with
 * {@link #defer()} is queued and replayed when the feature is restored.
 *
 * <p>Misuse fails when the proxy is created, naming the method: a fallback method that does not exist or
 * whose parameters or return type do not fit, {@code defer} on a method that returns a value,
 * {@link OnShed#EMPTY} for a return type that has no empty value, one feature named with two tiers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LimpFeature {
  /** The feature's name. Features the limp instance does not know yet are declared with {@link #tier()}. */
  String name();

  /** The feature's tier; must agree with how the feature is declared elsewhere. */
  Tier tier();

  /**
   * The name of a method that answers when the call is shed: the same parameters as the annotated method,
   * optionally followed by a {@link dev.limp.ShedReason}, and a return type assignable to the annotated
   * method's. Looked up on the interface (a default method) and on the implementation's class.
   * Empty for none.
   */
  String fallbackMethod() default "";

  /**
   * Keep the last good value per argument list, and serve it while the feature is shed. The feature must
   * keep stale values; a feature the proxy declares itself keeps them for
   * {@link #DEFAULT_STALE_VALUE_MAX_AGE_SECONDS} seconds, up to {@link #DEFAULT_STALE_VALUE_MAX_ENTRIES}.
   */
  boolean staleValues() default false;

  /**
   * Queue the call while the feature is shed and replay it when it is restored. Only for {@code void}
   * methods. The feature must defer; a feature the proxy declares itself queues up to
   * {@link #DEFAULT_DEFER_QUEUE_CAPACITY} calls.
   */
  boolean defer() default false;

  /** What a shed call returns when neither the fallback method nor a stale value answers. */
  OnShed onShed() default OnShed.THROW;

  /** The maximum age of stale values of a feature declared from annotations: 5 minutes. */
  long DEFAULT_STALE_VALUE_MAX_AGE_SECONDS = 300;

  /** The number of stale values kept for a feature declared from annotations. */
  long DEFAULT_STALE_VALUE_MAX_ENTRIES = 10_000;

  /** The deferral queue of a feature declared from annotations. */
  int DEFAULT_DEFER_QUEUE_CAPACITY = 1_000;

  /** The end of the fallback chain. */
  enum OnShed {
    /** Throw {@link dev.limp.FeatureShedException}. */
    THROW,
    /**
     * Return the empty value of the return type: nothing for {@code void}; {@code 0} or {@code false} for
     * primitives and their boxes; an empty {@code Optional}, {@code List}, {@code Set}, {@code Map},
     * {@code Collection}, {@code Iterable}, {@code Stream}, array or {@code String}.
     */
    EMPTY
  }
}
