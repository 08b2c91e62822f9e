package dev.limp.internal;

import dev.limp.FeatureGuard;

/**
 * What limp's own modules need from an instance beyond the public {@link dev.limp.Limp} interface.
 * Internal: not part of the API, may change without notice.
 */
public interface LimpInternals {
  /**
   * The feature whose work runs on the calling thread, or {@code null}: {@link dev.limp.Limp#currentFeature()}
   * without the {@code Optional}, for the JDBC hot path. Allocation-free.
   */
  FeatureGuard currentGuard();
}
