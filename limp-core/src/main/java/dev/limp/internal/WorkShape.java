package dev.limp.internal;

import dev.limp.FeatureShedException;
import dev.limp.ShedFallback;
import dev.limp.ShedReason;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The shapes of work a guard runs, and of the answer its caller expects, as small constants so that the one
 * template in {@link FeatureRuntime} serves {@code get}, {@code serve}, {@code call} and {@code run} without
 * allocating: each entry point passes a constant, which the JIT folds. Stateless.
 */
final class WorkShape {
  /** A {@code Supplier}; the caller wants its value. */
  static final int SUPPLIER = 0;
  /** A {@code Supplier}; the caller wants a {@link dev.limp.Served}. */
  static final int SERVED = 1;
  /** A {@code Callable}: checked exceptions pass. */
  static final int CALLABLE = 2;
  /** A {@code Runnable}: deferred when shed, if the feature defers. */
  static final int RUNNABLE = 3;

  private WorkShape() {
  }

  /** Runs {@code work} of {@code shape}. */
  @SuppressWarnings("unchecked")
  static Object invoke(int shape, Object work) throws Exception {
    switch (shape) {
      case CALLABLE:
        return ((Callable<Object>) work).call();
      case RUNNABLE:
        ((Runnable) work).run();
        return null;
      default:
        return ((Supplier<Object>) work).get();
    }
  }

  /** The answer of {@code answers} to work of {@code shape} that did not run. */
  @SuppressWarnings("unchecked")
  static Object answer(ShedAnswers answers, int shape, ShedReason refusal, Object work, Object key,
      Object fallback, Supplier<?> dflt) {
    switch (shape) {
      case SERVED:
        return answers.serve(refusal, key);
      case RUNNABLE:
        answers.run(refusal, (Runnable) work, (Runnable) fallback);
        return null;
      default:
        return answers.answer(refusal, (ShedFallback<Object>) fallback, key, dflt);
    }
  }

  /**
   * The reason of a refusal of {@code feature}'s own work thrown from inside it (the connection reserve of
   * the monitored DataSource refuses a sheddable feature's connection this way), found in {@code t} or its
   * causes; {@code null} for any other failure.
   */
  static ShedReason refusalOf(String feature, Throwable t) {
    Throwable cause = t;
    for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
      if (cause instanceof FeatureShedException && ((FeatureShedException) cause).feature().equals(feature)) {
        return ((FeatureShedException) cause).reason();
      }
    }
    return null;
  }
}
