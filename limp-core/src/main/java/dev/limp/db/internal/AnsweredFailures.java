package dev.limp.db.internal;

import java.util.concurrent.TimeUnit;

/**
 * Whether the database has answered its own failures: a connection refused, a canary that failed, then a
 * connection or a canary that succeeded although it began after the latest failure, with no failure since
 * for {@link #QUIET}. Failures answered so no longer say anything about the database now; their window
 * would otherwise hold the level up for its whole span after an outage ends. A database that still fails
 * now and then is never answered: each failure starts the quiet period again.
 *
 * <p>Lock-free; the success path reads one rarely written volatile field and writes only on the first
 * success after a failure. Thread-safe.
 */
public final class AnsweredFailures {
  /** How long no failure must have happened, after a success, for the failures to count as answered. */
  public static final long QUIET = TimeUnit.SECONDS.toNanos(2);
  private static final long NONE = Long.MIN_VALUE;

  private volatile long lastFailure = NONE;
  private volatile long answeredAt = NONE;

  /** A failure at {@code at}. */
  public void failed(long at) {
    lastFailure = at;
  }

  /**
   * A success at {@code at} of an attempt that began at {@code startedAt}.
   *
   * @return whether the attempt began after the database answered its failures (always, when it never
   *     failed): an attempt that began while it refused waited on the outage, not on anything now
   */
  public boolean succeeded(long startedAt, long at) {
    long failure = lastFailure;
    if (failure == NONE) {
      return true;
    }
    if (startedAt > failure && answeredAt < failure) {
      answeredAt = at;
    }
    return !beganBeforeTheAnswer(startedAt);
  }

  /**
   * Whether an attempt that began at {@code startedAt} began while the database refused: before the
   * success that answered the latest failure, or while that failure is not answered yet.
   */
  public boolean beganBeforeTheAnswer(long startedAt) {
    long failure = lastFailure;
    if (failure == NONE) {
      return false;
    }
    long answer = answeredAt;
    return answer < failure || startedAt < answer;
  }

  /** Whether the latest failure has not been answered by any success yet: the database still fails. */
  public boolean failing() {
    long failure = lastFailure;
    return failure != NONE && answeredAt < failure;
  }

  /** Whether every failure so far was answered by a later success and none followed for {@link #QUIET}. */
  public boolean answered(long now) {
    long failure = lastFailure;
    return failure == NONE || (answeredAt > failure && now - failure >= QUIET);
  }
}
