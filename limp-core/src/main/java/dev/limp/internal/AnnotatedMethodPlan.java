package dev.limp.internal;

import static dev.limp.internal.AnnotationMisuse.misuse;

import dev.limp.annotation.LimpFeature;
import java.lang.reflect.Method;
import java.util.function.Supplier;

/**
 * What one annotated method asks for, read from its {@link LimpFeature} and checked against its signature:
 * {@code defer} only on a {@code void} method and never with a fallback method, {@code staleValues} only
 * with a value to keep, {@link LimpFeature.OnShed#EMPTY} only for a return type with an empty value, and
 * the fallback method found and fitting. The features themselves are not looked at here (see
 * {@link AnnotatedFeatures}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param method the annotated method
 * @param annotation the annotation found for it (on itself, its interface, or as a framework found it)
 * @param fallback the fallback method, made accessible; {@code null} for none
 * @param empty the empty value of {@code OnShed.EMPTY}; {@code null} for another {@code onShed}
 */
record AnnotatedMethodPlan(Method method, LimpFeature annotation, Method fallback, Supplier<Object> empty) {

  /**
   * Reads and checks the annotation {@code a} of {@code m}; a fallback method is looked for on {@code type}
   * (and its superinterfaces), then on {@code targetClass} (and its superclasses).
   *
   * @throws IllegalArgumentException naming {@code m} if the annotation is misused
   */
  static AnnotatedMethodPlan of(Method m, LimpFeature a, Class<?> type, Class<?> targetClass) {
    Class<?> returns = m.getReturnType();
    if (a.defer() && returns != void.class) {
      throw misuse(m, "defer is only for void methods (a deferred call runs later and has no value to "
          + "return now), but it returns " + returns.getSimpleName());
    }
    if (a.defer() && !a.fallbackMethod().isEmpty()) {
      throw misuse(m, "defer and fallbackMethod '" + a.fallbackMethod() + "' exclude each other: a shed call "
          + "is either queued for replay or answered by the fallback; keep one");
    }
    if (a.staleValues() && returns == void.class) {
      throw misuse(m, "staleValues needs a value to keep, but the method returns void");
    }
    Supplier<Object> empty = null;
    if (a.onShed() == LimpFeature.OnShed.EMPTY) {
      empty = AnnotationEmptyValues.of(returns);
      if (empty == null) {
        throw misuse(m, "onShed = EMPTY, but its return type " + returns.getName() + " has no empty value; "
            + "allowed: " + AnnotationEmptyValues.ALLOWED);
      }
    }
    Method fallback = a.fallbackMethod().isEmpty() ? null
        : AnnotatedFallbacks.find(m, a.fallbackMethod(), type, targetClass);
    return new AnnotatedMethodPlan(m, a, fallback, empty);
  }
}
