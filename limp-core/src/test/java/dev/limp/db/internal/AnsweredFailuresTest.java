package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnsweredFailuresTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void noFailureIsNothingToAnswer() {
    assertTrue(new AnsweredFailures().answered(0));
  }

  @Test
  void aFailureIsAnsweredByASuccessThatBeganAfterItOnceNoneFollowedForTheQuietPeriod() {
    AnsweredFailures f = new AnsweredFailures();
    f.failed(10 * SECOND);
    assertFalse(f.answered(20 * SECOND), "no success yet, however long ago the failure was");
    f.succeeded(9 * SECOND, 11 * SECOND);
    assertFalse(f.answered(20 * SECOND), "a success that began before the failure answers nothing");
    f.succeeded(10 * SECOND + 1, 10 * SECOND + 5);
    assertFalse(f.answered(10 * SECOND + AnsweredFailures.QUIET - 1), "not before the quiet period");
    assertTrue(f.answered(10 * SECOND + AnsweredFailures.QUIET));
  }

  @Test
  void aFailureAfterTheAnswerStartsOver() {
    AnsweredFailures f = new AnsweredFailures();
    f.failed(SECOND);
    f.succeeded(SECOND + 1, SECOND + 2);
    assertTrue(f.answered(10 * SECOND));
    f.failed(11 * SECOND);
    assertFalse(f.answered(20 * SECOND), "failing again: the database has not answered this one");
    f.succeeded(12 * SECOND, 12 * SECOND);
    assertTrue(f.answered(13 * SECOND));
  }

  @Test
  void attemptsThatBeganBeforeTheAnswerWaitedOnTheOutageAndThoseAfterItDidNot() {
    AnsweredFailures f = new AnsweredFailures();
    assertTrue(f.succeeded(0, 1), "never failed: every attempt is today's");
    f.failed(10 * SECOND);
    assertTrue(f.beganBeforeTheAnswer(11 * SECOND), "not answered yet: whatever waits, waits on the outage");
    assertFalse(f.succeeded(12 * SECOND, 13 * SECOND), "the answering attempt itself waited through the outage");
    assertTrue(f.beganBeforeTheAnswer(12 * SECOND + 1), "queued before the answer at 13 s");
    assertFalse(f.beganBeforeTheAnswer(13 * SECOND + 1), "began after the answer: the pool's own business");
    assertTrue(f.succeeded(14 * SECOND, 14 * SECOND + 5));
  }
}
