package dev.limp;

/** How a call that was shed or rejected was answered. Every such call is answered exactly one way. */
public enum ShedHandling {
  /** A fallback function or method answered. */
  FALLBACK,
  /** The last good value for the same key answered. */
  STALE,
  /** The feature's default value answered (for {@code Runnable} work: the work was skipped). */
  DEFAULT,
  /** The {@code Runnable} work was queued for replay when the feature is restored. */
  DEFERRED,
  /** The work should have been deferred but the queue was full; the caller got a {@link FeatureShedException}. */
  DROPPED,
  /** Nothing could answer; the caller got a {@link FeatureShedException}. */
  THROWN
}
