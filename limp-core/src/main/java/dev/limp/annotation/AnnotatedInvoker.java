package dev.limp.annotation;

/**
 * One method annotated with {@link LimpFeature}, resolved once by
 * {@link dev.limp.Limp#annotatedMethods(Class, java.util.Map)}: for frameworks that intercept calls
 * themselves (the aspect of {@code limp-spring}) and must let the call go on through their own chain instead
 * of invoking the method reflectively. A call runs through the feature's guard exactly as a call of a
 * {@link dev.limp.Limp#proxy(Class, Object) limp proxy} does: the same fallback method, stale values,
 * deferral and empty value.
 *
 * <p>Immutable and thread-safe.
 */
public interface AnnotatedInvoker {
  /**
   * Runs {@code proceed} through the method's guard; when shed, answers with the annotation's fallback
   * chain, the fallback method being called on {@code target} with {@code args}. A deferred call keeps
   * {@code proceed} and runs it on replay, on limp's replay thread. What {@code proceed} throws reaches
   * the caller unchanged.
   */
  Object invoke(Object target, Object[] args, Proceed proceed) throws Throwable;

  /** The rest of the framework's call chain, ending in the target method. */
  @FunctionalInterface
  interface Proceed {
    Object proceed() throws Throwable;
  }
}
