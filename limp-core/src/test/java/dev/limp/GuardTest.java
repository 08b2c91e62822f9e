package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.testing.FakeClock;
import dev.limp.testing.GovernorDriver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard: the permitted path, the fallback chain in its documented order, and the accounting. */
class GuardTest {
  private final FakeClock clock = new FakeClock();
  private final GovernorDriver governor = new GovernorDriver(clock);
  private Limp limp;

  private Limp limp(FeatureConfig... features) {
    LimpBuilder builder = governor.install(Limp.builder().clock(clock).governorThread(false));
    for (FeatureConfig f : features) {
      builder.feature(f);
    }
    limp = builder.build();
    return limp;
  }

  @AfterEach
  void close() {
    if (limp != null) {
      limp.close();
    }
  }

  private void shed(String feature) {
    limp.overrides().shed(feature, Duration.ofMinutes(5), "test", "tester");
  }

  private static long calls(Limp limp, String feature, CallOutcome outcome) {
    return limp.status().feature(feature).orElseThrow().calls().get(outcome);
  }

  private static long shedCalls(Limp limp, String feature, ShedHandling handling) {
    return limp.status().feature(feature).orElseThrow().shedCalls().get(handling);
  }

  @Test
  void permittedCallRunsTheWorkAndReturnsItsValue() {
    FeatureGuard search = limp(FeatureConfig.of("search", Tier.SHEDDABLE)).guard("search");
    assertEquals("hits", search.get(() -> "hits"));
    assertEquals(1, calls(limp, "search", CallOutcome.PERMITTED));
    assertEquals(FeatureState.ACTIVE, search.state());
  }

  @Test
  void exceptionsFromTheWorkPassThroughUnchangedAndCountAsFailed() {
    FeatureGuard search = limp(FeatureConfig.of("search", Tier.SHEDDABLE)).guard("search");
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> search.get(() -> {
      throw boom;
    })));
    IOException checked = new IOException("disk");
    assertSame(checked, assertThrows(IOException.class, () -> search.call(() -> {
      throw checked;
    })));
    assertEquals(2, calls(limp, "search", CallOutcome.FAILED));
    assertEquals(2, search.circuitBreaker().orElseThrow().getMetrics().getNumberOfFailedCalls());
  }

  @Test
  void currentFeatureIsKnownToTheThreadWhileTheWorkRunsAndRestoredAfter() {
    limp(FeatureConfig.of("chat.post", Tier.CRITICAL_PLUS), FeatureConfig.of("notifications", Tier.SHEDDABLE_PLUS));
    FeatureGuard chat = limp.guard("chat.post");
    FeatureGuard notifications = limp.guard("notifications");
    assertTrue(limp.currentFeature().isEmpty());
    String seen = chat.get(() -> {
      String outer = limp.currentFeature().orElseThrow().name();
      String inner = notifications.get(() -> limp.currentFeature().orElseThrow().name());
      return outer + ">" + inner + ">" + limp.currentFeature().orElseThrow().name();
    });
    assertEquals("chat.post>notifications>chat.post", seen);
    assertTrue(limp.currentFeature().isEmpty());
    assertThrows(IllegalStateException.class, () -> chat.run(() -> {
      throw new IllegalStateException();
    }));
    assertTrue(limp.currentFeature().isEmpty(), "restored after a failure too");
  }

  @Test
  void shedCallUsesTheFallbackFirst() {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofMinutes(1), 10)
        .defaultValue("default").build());
    FeatureGuard search = limp.guard("search");
    shed("search");
    AtomicInteger ran = new AtomicInteger();
    String answer = search.get(() -> {
      ran.incrementAndGet();
      return "fresh";
    }, reason -> "fallback:" + reason.feature() + ":" + reason.cause());
    assertEquals("fallback:search:OVERRIDE", answer);
    assertEquals(0, ran.get());
    assertEquals(1, calls(limp, "search", CallOutcome.SHED));
    assertEquals(1, shedCalls(limp, "search", ShedHandling.FALLBACK));
  }

  @Test
  void shedKeyedCallServesTheLastGoodValueForTheSameKeyMarkedStale() {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofMinutes(1), 10)
        .defaultValue("default").build());
    FeatureGuard search = limp.guard("search");
    assertEquals("hits for a", search.get("a", () -> "hits for a"));
    shed("search");
    assertEquals("hits for a", search.get("a", () -> "fresh"));
    assertEquals("default", search.get("b", () -> "fresh"), "another key has no stale value");

    Served<String> served = search.serve("a", () -> "fresh");
    assertTrue(served.isStale());
    assertEquals("hits for a", served.value());
    assertEquals(ShedCause.OVERRIDE, served.shedReason().cause());
    assertEquals(Served.Source.DEFAULT, search.<String>serve("b", () -> "fresh").source());
    assertEquals(2, shedCalls(limp, "search", ShedHandling.STALE));
    assertEquals(2, shedCalls(limp, "search", ShedHandling.DEFAULT));
  }

  @Test
  void staleValuesExpireAfterTheirMaximumAge() {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofMinutes(1), 10).build());
    FeatureGuard search = limp.guard("search");
    search.get("a", () -> "hits");
    shed("search");
    clock.advanceSeconds(61);
    FeatureShedException e = assertThrows(FeatureShedException.class, () -> search.get("a", () -> "fresh"));
    assertEquals("search", e.feature());
  }

  @Test
  void freshServedValueIsMarkedFresh() {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofMinutes(1), 10).build());
    Served<String> served = limp.guard("search").serve("a", () -> "hits");
    assertEquals(Served.Source.FRESH, served.source());
    assertFalse(served.isStale());
    assertNull(served.shedReason());
  }

  @Test
  void shedCallWithoutFallbackStaleOrDefaultThrowsAStacklessExceptionWithTheDecision() {
    limp(FeatureConfig.of("search", Tier.SHEDDABLE));
    FeatureGuard search = limp.guard("search");
    shed("search");
    FeatureShedException e = assertThrows(FeatureShedException.class, () -> search.get(() -> "fresh"));
    assertEquals("search", e.feature());
    assertEquals(ShedCause.OVERRIDE, e.shedCause());
    assertEquals(Level.NORMAL, e.level());
    assertTrue(e.retryAfter().compareTo(Duration.ofMinutes(4)) > 0, "retry after the override: " + e.retryAfter());
    assertEquals(0, e.getStackTrace().length);
    assertTrue(e.getMessage().contains("operator shed the feature: test (by tester"), e.getMessage());
    assertEquals(1, shedCalls(limp, "search", ShedHandling.THROWN));
  }

  @Test
  void defaultValueMayBeNull() {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue(null).build());
    shed("search");
    assertNull(limp.guard("search").get(() -> "fresh"));
  }

  @Test
  void shedRunnableIsSkippedWithADefaultOrRunsItsFallback() {
    limp(FeatureConfig.builder("analytics", Tier.SHEDDABLE).defaultValue(null).build(),
        FeatureConfig.of("exports", Tier.SHEDDABLE));
    shed("analytics");
    shed("exports");
    AtomicInteger ran = new AtomicInteger();
    limp.guard("analytics").run(ran::incrementAndGet);
    assertEquals(0, ran.get());
    limp.guard("exports").run(ran::incrementAndGet, () -> ran.addAndGet(10));
    assertEquals(10, ran.get());
    assertThrows(FeatureShedException.class, () -> limp.guard("exports").run(ran::incrementAndGet));
  }

  @Test
  void decoratorsGoThroughTheGuard() throws Exception {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue("default").build());
    FeatureGuard search = limp.guard("search");
    Supplier<String> supplier = search.decorateSupplier(() -> "fresh");
    AtomicInteger ran = new AtomicInteger();
    Runnable runnable = search.decorateRunnable(ran::incrementAndGet);
    assertEquals("fresh", supplier.get());
    assertEquals("fresh", search.decorateCallable(() -> "fresh").call());
    runnable.run();
    shed("search");
    assertEquals("default", supplier.get());
    assertEquals("default", search.decorateCallable(() -> "fresh").call());
    runnable.run();
    assertEquals(1, ran.get());
  }

  @Test
  void featuresOwnBreakerTripsOnItsOwnFailuresAndRejectsWithoutTheGovernor() {
    CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
        .failureRateThreshold(50).waitDurationInOpenState(Duration.ofSeconds(30)).build();
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).circuitBreaker(breaker).defaultValue("default").build());
    FeatureGuard search = limp.guard("search");
    for (int i = 0; i < 4; i++) {
      assertThrows(IllegalStateException.class, () -> search.get(() -> {
        throw new IllegalStateException("bad plan");
      }));
    }
    assertEquals(CircuitBreaker.State.OPEN, search.circuitBreaker().orElseThrow().getState());
    assertEquals("default", search.get(() -> "fresh"));
    assertEquals(1, calls(limp, "search", CallOutcome.REJECTED));
    assertEquals(Level.NORMAL, limp.level(), "the governor was not involved");
    ShedReason reason = search.get(() -> null, r -> r);
    assertEquals(ShedCause.CIRCUIT_BREAKER, reason.cause());
    assertEquals(Duration.ofSeconds(30), reason.retryAfter());
  }

  @Test
  void slowCallsTripTheFeaturesBreakerBySlowCallRate() {
    CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
        .slowCallRateThreshold(50).slowCallDurationThreshold(Duration.ofMillis(20)).build();
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).circuitBreaker(breaker).build());
    FeatureGuard search = limp.guard("search");
    for (int i = 0; i < 4; i++) {
      search.run(() -> {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(25);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      });
    }
    assertEquals(CircuitBreaker.State.OPEN, search.circuitBreaker().orElseThrow().getState());
  }

  @Test
  void aBreakerWithItsOwnTimeFunctionTimesCallsOnItsOwnClock() {
    java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(1_000);
    CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
        .slowCallRateThreshold(50).slowCallDurationThreshold(Duration.ofSeconds(2))
        .currentTimestampFunction(ignored -> millis.get(), TimeUnit.MILLISECONDS).build();
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).circuitBreaker(breaker).build());
    FeatureGuard search = limp.guard("search");
    for (int i = 0; i < 4; i++) {
      search.run(() -> millis.addAndGet(3_000)); // 3 s on the breaker's clock, no time at all on the machine's
    }
    CircuitBreaker.Metrics metrics = search.circuitBreaker().orElseThrow().getMetrics();
    assertEquals(4, metrics.getNumberOfSlowCalls());
    assertEquals(CircuitBreaker.State.OPEN, search.circuitBreaker().orElseThrow().getState());
  }

  @Test
  void fullBulkheadRejectsAtOnceAndFreesThePermitAfterwards() throws Exception {
    limp(FeatureConfig.builder("exports", Tier.SHEDDABLE).bulkhead(1).defaultValue("busy").build());
    FeatureGuard exports = limp.guard("exports");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<String> first = pool.submit(() -> exports.get(() -> {
        inside.countDown();
        await(release);
        return "done";
      }));
      assertTrue(inside.await(10, TimeUnit.SECONDS));
      assertEquals("busy", exports.get(() -> "second"));
      release.countDown();
      assertEquals("done", first.get(10, TimeUnit.SECONDS));
      assertEquals("third", exports.get(() -> "third"));
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
    assertEquals(1, calls(limp, "exports", CallOutcome.REJECTED));
    assertEquals(2, calls(limp, "exports", CallOutcome.PERMITTED));
    assertEquals(2, exports.circuitBreaker().orElseThrow().getMetrics().getNumberOfBufferedCalls(),
        "the two calls that ran were recorded; the rejected one released its breaker permit");
  }

  @Test
  void governorOnlyFeatureHasNoBreakerAndIsStillShed() {
    limp(FeatureConfig.builder("analytics", Tier.SHEDDABLE).governorOnly().defaultValue(0).build());
    FeatureGuard analytics = limp.guard("analytics");
    assertTrue(analytics.circuitBreaker().isEmpty());
    assertEquals(1, analytics.get(() -> 1));
    shed("analytics");
    assertEquals(0, analytics.<Integer>get(() -> 1));
    assertTrue(limp.circuitBreakerRegistry().find("analytics").isEmpty());
  }

  @Test
  void sheddingForcesTheBreakerOpenAndRestoringClosesIt() {
    limp(FeatureConfig.of("search", Tier.SHEDDABLE));
    CircuitBreaker breaker = limp.guard("search").circuitBreaker().orElseThrow();
    assertSame(breaker, limp.circuitBreakerRegistry().circuitBreaker("search"), "reachable through the registry");
    governor.shed(limp);
    assertEquals(CircuitBreaker.State.FORCED_OPEN, breaker.getState());
    governor.letBackIn(limp);
    assertEquals(CircuitBreaker.State.CLOSED, breaker.getState());
    assertEquals(FeatureState.RAMPING, limp.guard("search").state());
  }

  @Test
  void unknownFeatureNamesTheKnownOnes() {
    limp(FeatureConfig.of("search", Tier.SHEDDABLE), FeatureConfig.of("chat.post", Tier.CRITICAL_PLUS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> limp.guard("serach"));
    assertEquals("unknown feature 'serach'; declared features are [chat.post, search]", e.getMessage());
    assertTrue(limp.findGuard("serach").isEmpty());
    assertEquals(List.of("chat.post", "search"), limp.guards().stream().map(FeatureGuard::name).toList());
  }

  @Test
  void rampAdmitsAboutTheRampFractionOfCalls() {
    limp(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().defaultValue("shed").build());
    FeatureGuard search = limp.guard("search");
    governor.shed(limp);
    governor.letBackIn(limp);
    int admitted = 0;
    for (int i = 0; i < 10_000; i++) {
      if ("fresh".equals(search.get(() -> "fresh"))) {
        admitted++;
      }
    }
    // 10 % of 10,000: the binomial standard deviation is 30, so 800..1200 is over six of them
    assertTrue(admitted > 800 && admitted < 1200, "admitted " + admitted + " of 10000 at the 10 % step");
    ShedReason reason = null;
    for (int i = 0; i < 1_000 && reason == null; i++) { // one call in ten is admitted and returns null
      reason = search.get(() -> null, r -> r);
    }
    assertEquals(ShedCause.RAMP, reason.cause());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
