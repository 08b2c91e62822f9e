package dev.limp.internal;

import static dev.limp.internal.AnnotationMisuse.describe;

import dev.limp.ShedFallback;
import dev.limp.ShedReason;
import dev.limp.annotation.AnnotatedInvoker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * One method of an annotation proxy (or one a framework intercepts), resolved when the proxy is created:
 * the call path. Either a plain delegation to the target, or a call through its feature's guard with the
 * fallback method, stale values, deferral and empty value its annotation asked for. A call does no lookup
 * and parses nothing; it allocates one {@link Invocation} (the work, holding the arguments) and, with
 * stale values, one key.
 *
 * <p>Immutable and thread-safe.
 */
final class AnnotatedMethod implements AnnotatedInvoker {
  /** The interface method, made accessible; invoked on the target (virtual dispatch). */
  private final Method method;
  /** {@code null} for a method without annotation: it just delegates. */
  private final FeatureRuntime guard;
  private final boolean defer;
  private final boolean staleValues;
  /** The fallback method, made accessible; {@code null} for none. */
  private final Method fallback;
  private final boolean fallbackTakesReason;
  /** The empty value of the return type ({@code OnShed.EMPTY}); {@code null} to throw. */
  private final Supplier<Object> empty;

  private AnnotatedMethod(Method method, FeatureRuntime guard, boolean defer, boolean staleValues,
      Method fallback, Supplier<Object> empty) {
    this.method = method;
    this.guard = guard;
    this.defer = defer;
    this.staleValues = staleValues;
    this.fallback = fallback;
    this.fallbackTakesReason = fallback != null
        && fallback.getParameterCount() == method.getParameterCount() + 1;
    this.empty = empty;
  }

  /** A method that only delegates to the target. */
  static AnnotatedMethod delegate(Method method) {
    return new AnnotatedMethod(method, null, false, false, null, null);
  }

  /** A method whose calls go through {@code guard}; {@code fallback} and {@code empty} may be {@code null}. */
  static AnnotatedMethod guarded(Method method, FeatureRuntime guard, boolean defer, boolean staleValues,
      Method fallback, Supplier<Object> empty) {
    return new AnnotatedMethod(method, guard, defer, staleValues, fallback, empty);
  }

  /** Calls the method on the target, through the guard if it has one. Throws what the target throws. */
  Object invoke(Object target, Object[] args) throws Throwable {
    if (guard == null) {
      return invokeUnwrapped(method, target, args);
    }
    return invoke(target, args, (Proceed) null);
  }

  /** Like {@link #invoke(Object, Object[])}, the work being {@code proceed} instead of the reflective call. */
  @Override
  public Object invoke(Object target, Object[] args, Proceed proceed) throws Throwable {
    if (guard == null) {
      return proceed != null ? proceed.proceed() : invokeUnwrapped(method, target, args);
    }
    Invocation call = new Invocation(this, target, args, proceed);
    if (defer) {
      call.direct = Thread.currentThread();
      try {
        guard.run(call);
      } finally {
        call.direct = null;
      }
      return null;
    }
    return guard.call(staleValues ? new StaleKey(method, args) : null, call, fallback == null ? null : call,
        empty);
  }

  /** Invokes a method, throwing what it threw (unwrapped from {@link InvocationTargetException}). */
  static Object invokeUnwrapped(Method m, Object target, Object[] args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw sneakyThrow(e.getCause());
    } catch (IllegalAccessException e) { // cannot happen: made accessible when the proxy was created
      throw new IllegalStateException("limp cannot call " + describe(m), e);
    }
  }

  /** Throws any throwable, checked or not, without wrapping it. */
  @SuppressWarnings("unchecked") // the cast is erased: this is how a checked exception passes unchanged
  private static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }

  /**
   * One call: the work for the guard ({@link Callable}, or {@link Runnable} for deferred {@code void} work)
   * and its fallback.
   */
  private static final class Invocation implements Callable<Object>, ShedFallback<Object>, Runnable {
    private final AnnotatedMethod m;
    private final Object target;
    private final Object[] args;
    /** The framework's call chain, or {@code null} to invoke the method reflectively. */
    private final Proceed proceed;
    /** The caller's thread while the guard may run the work on it; {@code null} once the guard returned. */
    volatile Thread direct;

    Invocation(AnnotatedMethod m, Object target, Object[] args, Proceed proceed) {
      this.m = m;
      this.target = target;
      this.args = args;
      this.proceed = proceed;
    }

    @Override
    public Object call() {
      if (proceed == null) {
        return invokeUnwrapped(m.method, target, args);
      }
      try {
        return proceed.proceed();
      } catch (Throwable t) {
        throw sneakyThrow(t);
      }
    }

    @Override
    public Object onShed(ShedReason reason) {
      if (!m.fallbackTakesReason) {
        return invokeUnwrapped(m.fallback, target, args);
      }
      int n = args == null ? 0 : args.length;
      Object[] withReason = args == null ? new Object[1] : Arrays.copyOf(args, n + 1);
      withReason[n] = reason;
      return invokeUnwrapped(m.fallback, target, withReason);
    }

    /**
     * Runs deferred {@code void} work: on the caller's thread, what the target throws reaches the caller
     * unchanged; on replay, a checked exception is wrapped so that the replay logs it and goes on.
     */
    @Override
    public void run() {
      try {
        if (proceed == null) {
          m.method.invoke(target, args);
        } else {
          proceed.proceed();
        }
      } catch (InvocationTargetException e) {
        rethrowOnRun(e.getCause());
      } catch (IllegalAccessException e) { // cannot happen: made accessible when the proxy was created
        throw new IllegalStateException("limp cannot call " + describe(m.method), e);
      } catch (Throwable t) { // from proceed: thrown by the framework's chain, unwrapped
        rethrowOnRun(t);
      }
    }

    private void rethrowOnRun(Throwable cause) {
      if (cause instanceof RuntimeException || cause instanceof Error || direct == Thread.currentThread()) {
        throw sneakyThrow(cause);
      }
      throw new UndeclaredThrowableException(cause, "deferred " + describe(m.method) + " threw on replay");
    }
  }

  /** The stale-value key of a call: the method and its arguments (arrays compared by content). */
  private static final class StaleKey {
    private final Method method;
    private final Object[] args;
    private final int hash;

    StaleKey(Method method, Object[] args) {
      this.method = method;
      this.args = args;
      this.hash = 31 * method.hashCode() + Arrays.deepHashCode(args);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StaleKey && hash == ((StaleKey) o).hash && method.equals(((StaleKey) o).method)
          && Arrays.deepEquals(args, ((StaleKey) o).args);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
