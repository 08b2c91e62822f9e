package dev.limp.internal;

/** What a feature's deferral queue tells its instance. Implementations are thread-safe. */
interface DeferralHost {
  /** Work was queued while the feature is admitted (restored between the decision and the offer): replay it. */
  void replaySoon(FeatureRuntime feature);

  /** Whether deferred work is still accepted ({@code false} once the instance is closed). */
  boolean accepting();

  /** Work did not fit in the feature's queue of {@code capacity}; {@code droppedSoFar} counts every drop. */
  void dropped(FeatureRuntime feature, int capacity, long droppedSoFar);
}
