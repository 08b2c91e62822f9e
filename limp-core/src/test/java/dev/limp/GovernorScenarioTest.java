package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The real engine through an incident, driven by a fake clock and {@link Limp#tick()}: escalation, deeper
 * escalation, staged recovery with ramps, events, and the containment of listeners and signal sources.
 */
class GovernorScenarioTest {
  private static final Signal LATENCY = TestSignals.LATENCY;
  private static final Duration TICK = Duration.ofMillis(250);
  private static final Duration DWELL = GovernorPolicy.DEFAULT_MIN_DWELL;
  private static final long AWAIT_SECONDS = 5;

  /**
   * enter/exit: 200/100, 500/250, 2000/1000 ms; default dwell (15 s) and ramp (10 → 50 → 100 % over 30 s);
   * no trial calls, so that what callers of a shed feature see is exact here (trials: EvidenceRecoveryTest).
   */
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(LATENCY)
          .level(Level.SHED_SHEDDABLE, 200, 100)
          .level(Level.SHED_SHEDDABLE_PLUS, 500, 250)
          .level(Level.SHED_CRITICAL, 2000, 1000)
          .build())
      .trialCalls(false)
      .build();

  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();

  /** chat.post (CRITICAL_PLUS), chat.read (CRITICAL), notifications (SHEDDABLE_PLUS), search and export (SHEDDABLE). */
  private LimpBuilder builder() {
    return Limp.builder()
        .name("scenario")
        .clock(clock)
        .governorThread(false)
        .policy(POLICY)
        .signalSource(signals)
        // critical features get no breaker unless given one: these are, so that the tests can see it left alone
        .feature(FeatureConfig.builder("chat.post", Tier.CRITICAL_PLUS)
            .circuitBreaker(FeatureConfig.DEFAULT_CIRCUIT_BREAKER).build())
        .feature(FeatureConfig.builder("chat.read", Tier.CRITICAL)
            .circuitBreaker(FeatureConfig.DEFAULT_CIRCUIT_BREAKER).build())
        .feature("notifications", Tier.SHEDDABLE_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue(List.of()).build())
        .feature("export", Tier.SHEDDABLE);
  }

  /** Advances the clock one tick interval and ticks. */
  private void tick(Limp limp) {
    clock.advance(TICK);
    limp.tick();
  }

  /** Ticks every {@link #TICK} until the level is {@code target}; returns how long that took. */
  private Duration tickUntilLevel(Limp limp, Level target, Duration atMost) {
    Duration elapsed = Duration.ZERO;
    while (limp.level() != target) {
      if (elapsed.compareTo(atMost) >= 0) {
        fail("level still " + limp.level() + " after " + elapsed + ", expected " + target);
      }
      tick(limp);
      elapsed = elapsed.plus(TICK);
    }
    return elapsed;
  }

  /** Ticks every {@link #TICK} for {@code duration}. */
  private void tickFor(Limp limp, Duration duration) {
    for (Duration d = Duration.ZERO; d.compareTo(duration) < 0; d = d.plus(TICK)) {
      tick(limp);
    }
  }

  private static FeatureStatus status(Limp limp, String feature) {
    return limp.status().feature(feature).orElseThrow();
  }

  private static CircuitBreaker.State breaker(Limp limp, String feature) {
    return limp.guard(feature).circuitBreaker().orElseThrow().getState();
  }

  private static <E> E next(BlockingQueue<E> queue) throws InterruptedException {
    E e = queue.poll(AWAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(e, "no event within " + AWAIT_SECONDS + " s");
    return e;
  }

  private static void assertLevelChange(LevelChangedEvent e, Level from, Level to) {
    assertEquals(from, e.from(), e.toString());
    assertEquals(to, e.to(), e.toString());
  }

  private static void assertRuns(Limp limp, String feature) {
    assertEquals("ran", limp.guard(feature).get(() -> "ran"), feature + " should run");
  }

  private static FeatureShedException assertShed(Limp limp, String feature) {
    FeatureShedException e = assertThrows(FeatureShedException.class,
        () -> limp.guard(feature).get(() -> "ran"), feature + " should be shed");
    assertEquals(feature, e.feature());
    return e;
  }

  /** Records every level change, in order. */
  private static final class LevelRecorder implements LimpListener {
    final BlockingQueue<LevelChangedEvent> levels = new LinkedBlockingQueue<>();

    @Override
    public void onLevelChanged(LevelChangedEvent event) {
      levels.add(event);
    }
  }

  // ---------------------------------------------------------------- the incident

  @Test
  void shedsTiersFromTheBottomAsLatencyRisesAndRestoresThemOneLevelPerDwell() throws InterruptedException {
    LevelRecorder recorder = new LevelRecorder();
    try (Limp limp = builder().listener(recorder).build()) {
      signals.set(LATENCY, 20);
      tick(limp);
      assertEquals(Level.NORMAL, limp.level());
      for (String f : List.of("chat.post", "chat.read", "notifications", "export")) {
        assertRuns(limp, f);
      }

      // 300 ms: the lowest tier goes
      signals.set(LATENCY, 300);
      tick(limp);
      assertEquals(Level.SHED_SHEDDABLE, limp.level());
      List<String> searchResult = limp.guard("search").get(() -> List.of("fresh hit"));
      assertEquals(List.of(), searchResult, "search answers with its default value");
      FeatureShedException exportShed = assertShed(limp, "export");
      assertEquals(ShedCause.LEVEL, exportShed.shedCause());
      assertEquals(Level.SHED_SHEDDABLE, exportShed.level());
      assertTrue(exportShed.reason().detail().contains("test.latency = 300 ms"), exportShed.getMessage());
      assertEquals(CircuitBreaker.State.FORCED_OPEN, breaker(limp, "search"));
      assertEquals(CircuitBreaker.State.FORCED_OPEN, breaker(limp, "export"));
      assertEquals(FeatureState.SHED, status(limp, "search").state());
      assertEquals("FORCED_OPEN", status(limp, "search").circuitBreakerState());
      assertRuns(limp, "notifications");
      assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, "notifications"));
      assertLevelChange(next(recorder.levels), Level.NORMAL, Level.SHED_SHEDDABLE);

      // 2.5 s: straight to SHED_CRITICAL, only the top tier runs
      signals.set(LATENCY, 2500);
      tick(limp);
      assertEquals(Level.SHED_CRITICAL, limp.level());
      assertRuns(limp, "chat.post");
      assertShed(limp, "chat.read");
      assertShed(limp, "notifications");
      assertShed(limp, "export");
      assertEquals(CircuitBreaker.State.FORCED_OPEN, breaker(limp, "chat.read"));
      assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, "chat.post"));
      LevelChangedEvent deeper = next(recorder.levels);
      assertLevelChange(deeper, Level.SHED_SHEDDABLE, Level.SHED_CRITICAL);
      assertTrue(deeper.isEscalation());
      assertFalse(deeper.overridden());
      assertTrue(deeper.reason().contains("2500 ms"), deeper.reason());

      // the database recovers: one level per dwell, never sooner
      signals.set(LATENCY, 0);
      Duration first = tickUntilLevel(limp, Level.SHED_SHEDDABLE_PLUS, DWELL.multipliedBy(2));
      assertEquals(DWELL.plus(TICK), first, "a whole dwell of calm, counted from the first calm tick");
      assertEquals(FeatureState.RAMPING, status(limp, "chat.read").state());
      assertEquals(0.1, status(limp, "chat.read").admittedFraction());
      assertEquals(ShedCause.RAMP, status(limp, "chat.read").reason().cause());
      assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, "chat.read"));
      assertEquals(FeatureState.SHED, status(limp, "notifications").state());
      LevelChangedEvent firstStep = next(recorder.levels);
      assertLevelChange(firstStep, Level.SHED_CRITICAL, Level.SHED_SHEDDABLE_PLUS);
      assertFalse(firstStep.isEscalation());

      Duration second = tickUntilLevel(limp, Level.SHED_SHEDDABLE, DWELL.multipliedBy(2));
      assertEquals(DWELL, second, "the next step takes another full dwell");
      assertEquals(FeatureState.RAMPING, status(limp, "notifications").state());
      assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, "notifications"));
      assertEquals(FeatureState.RAMPING, status(limp, "chat.read").state(), "15 s into its 30 s ramp");
      assertEquals(0.5, status(limp, "chat.read").admittedFraction());
      assertEquals(FeatureState.SHED, status(limp, "search").state());
      assertLevelChange(next(recorder.levels), Level.SHED_SHEDDABLE_PLUS, Level.SHED_SHEDDABLE);

      Duration third = tickUntilLevel(limp, Level.NORMAL, DWELL.multipliedBy(2));
      assertEquals(DWELL, third);
      assertEquals(FeatureState.ACTIVE, status(limp, "chat.read").state());
      assertEquals(FeatureState.RAMPING, status(limp, "search").state());
      assertEquals(FeatureState.RAMPING, status(limp, "export").state());
      assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, "search"));
      assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, "export"));
      assertLevelChange(next(recorder.levels), Level.SHED_SHEDDABLE, Level.NORMAL);

      tickFor(limp, GovernorPolicy.DEFAULT_RAMP_PERIOD);
      for (FeatureStatus f : limp.status().features()) {
        assertEquals(FeatureState.ACTIVE, f.state(), f.name());
        assertEquals(1.0, f.admittedFraction(), f.name());
        assertEquals("CLOSED", f.circuitBreakerState(), f.name());
      }
      assertEquals(List.of("fresh hit"), limp.guard("search").get(() -> List.of("fresh hit")));
      assertRuns(limp, "export");
      assertNull(recorder.levels.poll(), "no other level change");
    }
  }

  @Test
  void aBriefDipBelowTheExitThresholdDoesNotRestoreAnything() {
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 300);
      tick(limp);
      assertEquals(Level.SHED_SHEDDABLE, limp.level());

      for (int i = 0; i < 4 * 60 * 4; i++) { // four minutes of readings around the exit threshold
        signals.set(LATENCY, i % 2 == 0 ? 90 : 110);
        tick(limp);
        assertEquals(Level.SHED_SHEDDABLE, limp.level());
      }
      assertEquals(FeatureState.SHED, status(limp, "search").state());
    }
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void aListenerThatThrowsDoesNotStopOtherListenersOrTheGovernor() throws InterruptedException {
    AtomicInteger thrown = new AtomicInteger();
    LimpListener throwsRuntime = new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent event) {
        thrown.incrementAndGet();
        throw new IllegalStateException("status page is down");
      }
    };
    LimpListener throwsError = new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent event) {
        thrown.incrementAndGet();
        throw new AssertionError("a listener's own assertion failed");
      }
    };
    LevelRecorder recorder = new LevelRecorder();
    try (Limp limp = builder().listener(throwsRuntime).listener(throwsError).listener(recorder).build()) {
      signals.set(LATENCY, 600);
      tick(limp);
      signals.set(LATENCY, 2100);
      tick(limp);
      signals.set(LATENCY, 0);
      tickUntilLevel(limp, Level.SHED_SHEDDABLE_PLUS, DWELL.multipliedBy(2));

      assertLevelChange(next(recorder.levels), Level.NORMAL, Level.SHED_SHEDDABLE_PLUS);
      assertLevelChange(next(recorder.levels), Level.SHED_SHEDDABLE_PLUS, Level.SHED_CRITICAL);
      assertLevelChange(next(recorder.levels), Level.SHED_CRITICAL, Level.SHED_SHEDDABLE_PLUS);
      assertEquals(6, thrown.get(), "each throwing listener heard each event");
    }
  }

  @Test
  void aListenerThatBlocksDoesNotStallTheGovernor() throws InterruptedException {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    LimpListener blocker = new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent event) {
        blocking.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    LevelRecorder recorder = new LevelRecorder();
    try (Limp limp = builder().listener(blocker).listener(recorder).build()) {
      try {
        signals.set(LATENCY, 300);
        tick(limp);
        assertTrue(blocking.await(AWAIT_SECONDS, TimeUnit.SECONDS), "the listener got the first event");

        signals.set(LATENCY, 2500);
        tick(limp); // returns although the event thread is blocked
        assertEquals(Level.SHED_CRITICAL, limp.level());
        assertShed(limp, "chat.read");
        signals.set(LATENCY, 0);
        tickUntilLevel(limp, Level.SHED_SHEDDABLE_PLUS, DWELL.multipliedBy(2));
        assertNull(recorder.levels.poll(), "later listeners wait behind the blocked one");
      } finally {
        release.countDown();
      }
      assertLevelChange(next(recorder.levels), Level.NORMAL, Level.SHED_SHEDDABLE);
      assertLevelChange(next(recorder.levels), Level.SHED_SHEDDABLE, Level.SHED_CRITICAL);
      assertLevelChange(next(recorder.levels), Level.SHED_CRITICAL, Level.SHED_SHEDDABLE_PLUS);
    }
  }

  @Test
  void aListenerAddedAfterStartHearsLaterChanges() throws InterruptedException {
    LevelRecorder recorder = new LevelRecorder();
    try (Limp limp = builder().build()) {
      limp.addListener(recorder);
      signals.set(LATENCY, 300);
      tick(limp);
      assertLevelChange(next(recorder.levels), Level.NORMAL, Level.SHED_SHEDDABLE);

      limp.removeListener(recorder);
      signals.set(LATENCY, 600);
      tick(limp);
      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level());
    }
    assertNull(recorder.levels.poll(), "a removed listener hears nothing more");
  }

  // ---------------------------------------------------------------- signal sources

  @Test
  void aSignalSourceThatThrowsIsContained() {
    AtomicInteger calls = new AtomicInteger();
    SignalSource brokenAfterWriting = sink -> {
      calls.incrementAndGet();
      sink.put(LATENCY, 5000); // written, then the source fails: the reading counts as missing
      throw new IllegalStateException("probe lost its connection");
    };
    SignalSource brokenWithError = sink -> {
      calls.incrementAndGet();
      throw new StackOverflowError("probe recursed");
    };
    try (Limp limp = Limp.builder().clock(clock).governorThread(false).policy(POLICY)
        .signalSource(brokenWithError)
        .signalSource(signals)
        .signalSource(brokenAfterWriting)
        .feature("search", Tier.SHEDDABLE)
        .feature("chat.read", Tier.CRITICAL)
        .build()) {
      signals.set(LATENCY, 300);
      tick(limp);

      assertEquals(Level.SHED_SHEDDABLE, limp.level(), "the working source decided the level");
      assertEquals(300, limp.status().signals().get(LATENCY));
      assertEquals(FeatureState.SHED, status(limp, "search").state());
      assertEquals(FeatureState.ACTIVE, status(limp, "chat.read").state());

      signals.set(LATENCY, 0);
      tickUntilLevel(limp, Level.NORMAL, DWELL.multipliedBy(2));
      assertTrue(calls.get() > 2 * 60, "the broken sources were asked at every tick: " + calls.get());
    }
  }

  // ---------------------------------------------------------------- shadow mode

  @Test
  void inShadowModeTheLevelIsReportedButNothingIsShed() throws InterruptedException {
    LevelRecorder recorder = new LevelRecorder();
    BlockingQueue<FeatureStateChangedEvent> featureEvents = new LinkedBlockingQueue<>();
    LimpListener featureRecorder = new LimpListener() {
      @Override
      public void onFeatureStateChanged(FeatureStateChangedEvent event) {
        featureEvents.add(event);
      }
    };
    try (Limp limp = builder().shadowMode(true).listener(recorder).listener(featureRecorder).build()) {
      signals.set(LATENCY, 2500);
      tick(limp);

      assertEquals(Level.SHED_CRITICAL, limp.level());
      LimpStatus status = limp.status();
      assertTrue(status.shadowMode());
      assertEquals(Level.SHED_CRITICAL, status.level());
      for (String f : List.of("chat.read", "notifications", "search", "export")) {
        FeatureStatus s = status.feature(f).orElseThrow();
        assertEquals(FeatureState.ACTIVE, s.state(), f);
        assertEquals(1.0, s.admittedFraction(), f);
        assertTrue(s.wouldShed(), f);
        assertEquals(CircuitBreaker.State.CLOSED, breaker(limp, f), f);
        assertRuns(limp, f);
      }
      assertFalse(status.feature("chat.post").orElseThrow().wouldShed());
      assertEquals(List.of("fresh hit"), limp.guard("search").get(() -> List.of("fresh hit")));
      LevelChangedEvent e = next(recorder.levels);
      assertLevelChange(e, Level.NORMAL, Level.SHED_CRITICAL);
      assertTrue(e.shadow());
      List<String> wouldShed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        FeatureStateChangedEvent fe = next(featureEvents);
        assertTrue(fe.shadow(), fe.toString());
        assertEquals(FeatureState.SHED, fe.to(), fe.toString());
        wouldShed.add(fe.feature());
      }
      assertEquals(List.of("chat.read", "export", "notifications", "search"), wouldShed.stream().sorted().toList());

      signals.set(LATENCY, 0);
      tickUntilLevel(limp, Level.NORMAL, DWELL.multipliedBy(4));
      for (FeatureStatus s : limp.status().features()) {
        assertEquals(FeatureState.ACTIVE, s.state(), s.name());
        assertFalse(s.wouldShed(), s.name());
      }
    }
  }

  @Test
  void inShadowModeAForcedLevelStillSheds() {
    try (Limp limp = builder().shadowMode(true).build()) {
      limp.overrides().forceLevel(Level.SHED_SHEDDABLE, Duration.ofMinutes(5), "drill", "alice");

      assertEquals(FeatureState.SHED, status(limp, "export").state());
      FeatureShedException e = assertShed(limp, "export");
      assertEquals(ShedCause.OVERRIDE, e.shedCause());
      assertEquals(CircuitBreaker.State.FORCED_OPEN, breaker(limp, "export"));
    }
  }

  // ---------------------------------------------------------------- declaring after start

  @Test
  void aFeatureDeclaredWhileTheLevelShedsItsTierIsShedAtOnce() {
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 600);
      tick(limp);
      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level());

      FeatureGuard reports = limp.declare(FeatureConfig.of("reports", Tier.SHEDDABLE));
      FeatureGuard mentions = limp.declare(FeatureConfig.of("mentions", Tier.CRITICAL));

      assertEquals(FeatureState.SHED, reports.state());
      FeatureShedException e = assertShed(limp, "reports");
      assertEquals(Level.SHED_SHEDDABLE_PLUS, e.level());
      assertEquals(CircuitBreaker.State.FORCED_OPEN, breaker(limp, "reports"));
      assertEquals(FeatureState.ACTIVE, mentions.state());
      assertRuns(limp, "mentions");
    }
  }

  @Test
  void declaringAKnownFeatureAgainReturnsItsGuardAndAnotherTierIsRefused() {
    try (Limp limp = builder().build()) {
      FeatureGuard search = limp.guard("search");

      assertSame(search, limp.declare(FeatureConfig.of("search", Tier.SHEDDABLE)));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> limp.declare(FeatureConfig.of("search", Tier.CRITICAL)));
      assertTrue(e.getMessage().contains("'search'"), e.getMessage());
      assertTrue(e.getMessage().contains("SHEDDABLE"), e.getMessage());
      assertTrue(e.getMessage().contains("CRITICAL"), e.getMessage());
      assertEquals(Tier.SHEDDABLE, limp.guard("search").tier(), "the refused declaration changed nothing");
    }
  }
}
