package dev.limp;

import java.util.Objects;

/**
 * A value together with where it came from: the work itself, or one of the fallbacks of a shed call.
 * Returned by {@link FeatureGuard#serve(Object, java.util.function.Supplier)} for callers that want to
 * tell a fresh answer from a stale one (to show "results may be out of date", say).
 *
 * @param <T> the value's type
 */
public final class Served<T> {
  /** Where a served value came from. */
  public enum Source {
    /** The work ran and returned it. */
    FRESH,
    /** The call was shed; this is the last value the work returned for the same key. */
    STALE,
    /** The call was shed; this is the feature's configured default value. */
    DEFAULT
  }

  private final T value;
  private final Source source;
  private final ShedReason shedReason;

  private Served(T value, Source source, ShedReason shedReason) {
    this.value = value;
    this.source = Objects.requireNonNull(source, "source");
    this.shedReason = shedReason;
  }

  /** A value the work returned. */
  public static <T> Served<T> fresh(T value) {
    return new Served<>(value, Source.FRESH, null);
  }

  /** The last good value of a shed call. */
  public static <T> Served<T> stale(T value, ShedReason reason) {
    return new Served<>(value, Source.STALE, Objects.requireNonNull(reason, "reason"));
  }

  /** The default value of a shed call. */
  public static <T> Served<T> ofDefault(T value, ShedReason reason) {
    return new Served<>(value, Source.DEFAULT, Objects.requireNonNull(reason, "reason"));
  }

  /** The value; may be {@code null} where the work or the default returned {@code null}. */
  public T value() {
    return value;
  }

  public Source source() {
    return source;
  }

  /** Whether the value is the last good value of a shed call, not a fresh answer. */
  public boolean isStale() {
    return source == Source.STALE;
  }

  /** Why the call was shed, or {@code null} when the value is fresh. */
  public ShedReason shedReason() {
    return shedReason;
  }

  @Override
  public String toString() {
    return "Served[" + source + ": " + value + "]";
  }
}
