package dev.limp;

/**
 * Produces the value a shed call returns instead of running its work.
 *
 * @param <T> the type the guarded work returns
 */
@FunctionalInterface
public interface ShedFallback<T> {
  /**
   * Returns the value to give the caller. May throw; what it throws reaches the caller unchanged.
   *
   * @param reason why the call was shed; shared, never {@code null}
   */
  T onShed(ShedReason reason);
}
