package dev.limp.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.LimpListener;
import dev.limp.ShedHandling;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The binder against a real engine, a driven clock and a {@link SimpleMeterRegistry}. */
class LimpMetricsTest {
  private static final Duration MIN_DWELL = Duration.ofSeconds(2);
  private static final Duration RAMP = Duration.ofSeconds(3);
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(TestSignals.LATENCY)
          .level(Level.SHED_SHEDDABLE, 200, 100)
          .level(Level.SHED_SHEDDABLE_PLUS, 500, 250)
          .level(Level.SHED_CRITICAL, 2000, 1000)
          .build())
      .minDwell(MIN_DWELL)
      .rampPeriod(RAMP)
      .build();
  /** Meters of the instance itself: level, overridden, two level-transition counters. */
  private static final int INSTANCE_METERS = 4;
  /** Per feature: 4 gauges, 4 call counters, 6 shed-call counters, 2 trial-call counters, 4 transition counters. */
  private static final int FEATURE_METERS = 4 + CallOutcome.values().length + ShedHandling.values().length
      + 2 + FeatureState.values().length;

  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Limp limp(Consumer<LimpBuilder> more) {
    LimpBuilder builder = Limp.builder()
        .name("chat")
        .clock(clock)
        .governorThread(false)
        .signalSource(signals)
        .policy(POLICY)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue("no results").build());
    more.accept(builder);
    return builder.build();
  }

  private Limp limp() {
    return limp(b -> { });
  }

  // ---------------------------------------------------------------- registration

  @Test
  void registersEveryMeterWithInstanceFeatureAndTierTags() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);

      assertEquals(0, gauge("limp.level").value());
      assertEquals(0, gauge("limp.level.overridden").value());
      assertEquals(0, levelTransitions("escalation").count());
      assertEquals(0, levelTransitions("recovery").count());
      for (String feature : List.of("chat.post", "search")) {
        String tier = feature.equals("search") ? "sheddable" : "critical_plus";
        for (String name : List.of("limp.feature.state", "limp.feature.admitted", "limp.feature.would.shed",
            "limp.deferred.queued")) {
          Gauge gauge = registry.get(name).tag("instance", "chat").tag("feature", feature).tag("tier", tier)
              .gauge();
          assertNotNull(gauge, name);
        }
        assertEquals(0, featureGauge("limp.feature.state", feature).value());
        assertEquals(1, featureGauge("limp.feature.admitted", feature).value());
        assertEquals(0, featureGauge("limp.feature.would.shed", feature).value());
        assertEquals(0, featureGauge("limp.deferred.queued", feature).value());
        for (CallOutcome outcome : CallOutcome.values()) {
          assertEquals(0, calls(feature, outcome).count(), feature + " " + outcome);
          assertEquals(tier, calls(feature, outcome).getId().getTag("tier"));
        }
        for (ShedHandling handling : ShedHandling.values()) {
          assertEquals(0, shedCalls(feature, handling).count(), feature + " " + handling);
        }
        for (String outcome : List.of("healthy", "unhealthy")) {
          assertEquals(0, registry.get("limp.calls.trial").tag("instance", "chat").tag("feature", feature)
              .tag("tier", tier).tag("outcome", outcome).functionCounter().count(), feature + " " + outcome);
        }
        for (FeatureState to : FeatureState.values()) {
          assertEquals(0, featureTransitions(feature, to).count(), feature + " " + to);
        }
      }
      assertEquals(INSTANCE_METERS + 2 * FEATURE_METERS, registry.getMeters().size(), names(registry));
      assertTrue(registry.getMeters().stream().allMatch(m -> "chat".equals(m.getId().getTag("instance"))),
          "every meter is tagged with the instance");
      assertNull(registry.find("limp.signal").meter(), "no signal has been read yet");
    }
  }

  @Test
  void callTagValuesAreTheLowerCaseEnumNames() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      Set<String> outcomes = registry.find("limp.calls").tag("feature", "search").functionCounters().stream()
          .map(c -> c.getId().getTag("outcome")).collect(Collectors.toSet());
      assertEquals(Set.of("permitted", "failed", "shed", "rejected"), outcomes);
      Set<String> handlings = registry.find("limp.calls.shed").tag("feature", "search").functionCounters()
          .stream().map(c -> c.getId().getTag("handling")).collect(Collectors.toSet());
      assertEquals(Set.of("fallback", "stale", "default", "deferred", "dropped", "thrown"), handlings);
      Set<String> tos = registry.find("limp.feature.transitions").tag("feature", "search").counters().stream()
          .map(c -> c.getId().getTag("to")).collect(Collectors.toSet());
      assertEquals(Set.of("active", "ramping", "shed", "throttled"), tos); // every FeatureState
    }
  }

  @Test
  void bindingTheSameRegistryTwiceRegistersAndCountsOnce() throws Exception {
    try (Limp limp = limp()) {
      LimpMetrics metrics = LimpMetrics.of(limp);
      metrics.bindTo(registry);
      metrics.bindTo(registry);
      assertEquals(INSTANCE_METERS + 2 * FEATURE_METERS, registry.getMeters().size());

      CountDownLatch levelEventSeen = new CountDownLatch(1);
      limp.addListener(new LimpListener() { // after the binder's listener: sees the event after it
        @Override
        public void onLevelChanged(LevelChangedEvent event) {
          levelEventSeen.countDown();
        }
      });
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      assertTrue(levelEventSeen.await(5, TimeUnit.SECONDS), "level event not delivered within 5 s");
      assertEquals(1, levelTransitions("escalation").count());
    }
  }

  @Test
  void aSecondRegistryGetsItsOwnMeters() {
    try (Limp limp = limp()) {
      LimpMetrics metrics = LimpMetrics.of(limp);
      SimpleMeterRegistry other = new SimpleMeterRegistry();
      metrics.bindTo(registry);
      metrics.bindTo(other);
      limp.guard("search").get(() -> "hits");
      assertEquals(INSTANCE_METERS + 2 * FEATURE_METERS, other.getMeters().size());
      assertEquals(1, other.get("limp.calls").tag("feature", "search").tag("outcome", "permitted")
          .functionCounter().count());
    }
  }

  // ---------------------------------------------------------------- calls

  @Test
  void callCountersMoveExactlyWithCallsThroughGuards() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      FeatureGuard search = limp.guard("search");

      for (int i = 0; i < 3; i++) {
        assertEquals("hits", search.get(() -> "hits"));
      }
      assertThrows(IllegalStateException.class, () -> search.get(() -> {
        throw new IllegalStateException("query failed");
      }));
      assertEquals(3, calls("search", CallOutcome.PERMITTED).count());
      assertEquals(1, calls("search", CallOutcome.FAILED).count());
      assertEquals(0, calls("search", CallOutcome.SHED).count());

      limp.overrides().shed("search", Duration.ofMinutes(5), "index rebuild", "ops");
      assertEquals("no results", search.get(() -> "hits"));
      assertEquals("no results", search.get(() -> "hits"));
      assertEquals("fallback", search.get(() -> "hits", reason -> "fallback"));

      assertEquals(3, calls("search", CallOutcome.PERMITTED).count());
      assertEquals(1, calls("search", CallOutcome.FAILED).count());
      assertEquals(3, calls("search", CallOutcome.SHED).count());
      assertEquals(0, calls("search", CallOutcome.REJECTED).count());
      assertEquals(2, shedCalls("search", ShedHandling.DEFAULT).count());
      assertEquals(1, shedCalls("search", ShedHandling.FALLBACK).count());
      assertEquals(0, shedCalls("search", ShedHandling.THROWN).count());
      assertEquals(0, calls("chat.post", CallOutcome.PERMITTED).count(), "other features do not move");
    }
  }

  @Test
  void rejectedCallsOfAFullBulkheadAreCountedAsRejectedAndThrown() {
    try (Limp limp = limp(b -> b.feature(FeatureConfig.builder("export", Tier.SHEDDABLE_PLUS)
        .governorOnly().bulkhead(1).build()))) {
      LimpMetrics.of(limp).bindTo(registry);
      FeatureGuard export = limp.guard("export");

      // the outer call holds the only permit, so the nested call finds the bulkhead full
      String outer = export.get(() -> {
        assertThrows(FeatureShedException.class, () -> export.get(() -> "inner"));
        return "outer";
      });

      assertEquals("outer", outer);
      assertEquals(1, calls("export", CallOutcome.PERMITTED).count());
      assertEquals(1, calls("export", CallOutcome.REJECTED).count());
      assertEquals(0, calls("export", CallOutcome.SHED).count());
      assertEquals(1, shedCalls("export", ShedHandling.THROWN).count());
    }
  }

  @Test
  void rejectedCallsOfAnOpenBreakerAreCountedAsRejected() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      FeatureGuard search = limp.guard("search");
      search.circuitBreaker().orElseThrow().transitionToOpenState();

      assertEquals("no results", search.get(() -> "hits"));
      assertEquals("fallback", search.get(() -> "hits", reason -> "fallback"));

      assertEquals(2, calls("search", CallOutcome.REJECTED).count());
      assertEquals(0, calls("search", CallOutcome.SHED).count());
      assertEquals(0, calls("search", CallOutcome.PERMITTED).count());
      assertEquals(1, shedCalls("search", ShedHandling.DEFAULT).count());
      assertEquals(1, shedCalls("search", ShedHandling.FALLBACK).count());
    }
  }

  @Test
  void deferredGaugeCountsQueuedWorkWhileShed() {
    try (Limp limp = limp(b -> b.feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS)
        .deferWhenShed(10).build()))) {
      LimpMetrics.of(limp).bindTo(registry);
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", Duration.ofMinutes(5), "push provider down", "ops");

      notifications.run(() -> { });
      notifications.run(() -> { });

      assertEquals(2, featureGauge("limp.deferred.queued", "notifications").value());
      assertEquals(2, shedCalls("notifications", ShedHandling.DEFERRED).count());
      assertEquals(2, calls("notifications", CallOutcome.SHED).count());
    }
  }

  // ---------------------------------------------------------------- level and features

  @Test
  void levelGaugeFollowsEscalationAndFeatureGaugesFollowShedding() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);

      signals.set(TestSignals.LATENCY, 600);
      limp.tick();

      assertEquals(Level.SHED_SHEDDABLE_PLUS.ordinal(), gauge("limp.level").value());
      assertEquals(2, featureGauge("limp.feature.state", "search").value());
      assertEquals(0, featureGauge("limp.feature.admitted", "search").value());
      assertEquals(0, featureGauge("limp.feature.state", "chat.post").value());
      assertEquals(1, featureGauge("limp.feature.admitted", "chat.post").value());
      assertEquals(0, gauge("limp.level.overridden").value(), "the governor decided, not an operator");

      signals.set(TestSignals.LATENCY, 2500);
      limp.tick();
      assertEquals(Level.SHED_CRITICAL.ordinal(), gauge("limp.level").value());
    }
  }

  @Test
  void overriddenGaugeIsOneWhileAnOperatorForcesTheLevel() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);

      limp.overrides().forceLevel(Level.SHED_CRITICAL, Duration.ofMinutes(5), "drill", "ops");
      assertEquals(1, gauge("limp.level.overridden").value());
      assertEquals(Level.SHED_CRITICAL.ordinal(), gauge("limp.level").value());

      limp.overrides().releaseLevel("ops");
      assertEquals(0, gauge("limp.level.overridden").value());
      assertEquals(Level.NORMAL.ordinal(), gauge("limp.level").value());
    }
  }

  @Test
  void overriddenGaugeStaysZeroForFeatureOverrides() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      limp.overrides().shed("search", Duration.ofMinutes(5), "index rebuild", "ops");
      assertEquals(0, gauge("limp.level.overridden").value());
      assertEquals(2, featureGauge("limp.feature.state", "search").value());
    }
  }

  @Test
  void transitionCountersCountEscalationRecoveryAndEachFeatureStateEntered() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);

      signals.set(TestSignals.LATENCY, 300); // SHED_SHEDDABLE: search is shed
      limp.tick();
      await("one escalation", () -> levelTransitions("escalation").count() == 1);
      await("search shed once", () -> featureTransitions("search", FeatureState.SHED).count() == 1);

      signals.set(TestSignals.LATENCY, 50); // calm: recover after the dwell, then ramp
      for (int i = 0; i < 10 && limp.level() != Level.NORMAL; i++) {
        clock.advance(MIN_DWELL.plusMillis(1));
        limp.tick();
      }
      assertEquals(Level.NORMAL, limp.level());
      assertEquals(Level.NORMAL.ordinal(), gauge("limp.level").value());
      assertEquals(1, featureGauge("limp.feature.state", "search").value(), "ramping");
      double admitted = featureGauge("limp.feature.admitted", "search").value();
      assertTrue(admitted > 0 && admitted < 1, "ramping admits a fraction, but was " + admitted);
      await("one recovery", () -> levelTransitions("recovery").count() == 1);
      await("search ramping once", () -> featureTransitions("search", FeatureState.RAMPING).count() == 1);

      clock.advance(RAMP);
      limp.tick();
      assertEquals(0, featureGauge("limp.feature.state", "search").value());
      await("search active once", () -> featureTransitions("search", FeatureState.ACTIVE).count() == 1);

      assertEquals(1, levelTransitions("escalation").count());
      assertEquals(0, featureTransitions("chat.post", FeatureState.SHED).count(), "the top tier never moved");
    }
  }

  @Test
  void shadowModeShowsWouldShedWithoutCountingFeatureTransitions() throws Exception {
    try (Limp limp = limp(b -> b.shadowMode(true))) {
      LimpMetrics.of(limp).bindTo(registry);
      CountDownLatch shadowEventSeen = new CountDownLatch(1);
      limp.addListener(new LimpListener() { // after the binder's listener: sees each event after it
        @Override
        public void onFeatureStateChanged(FeatureStateChangedEvent event) {
          if (event.shadow() && event.feature().equals("search")) {
            shadowEventSeen.countDown();
          }
        }
      });

      signals.set(TestSignals.LATENCY, 300);
      limp.tick();

      assertEquals(1, featureGauge("limp.feature.would.shed", "search").value());
      assertEquals(0, featureGauge("limp.feature.state", "search").value(), "shadow mode sheds nothing");
      assertEquals(1, featureGauge("limp.feature.admitted", "search").value());
      assertEquals(Level.SHED_SHEDDABLE.ordinal(), gauge("limp.level").value(), "the level is reported");
      assertTrue(shadowEventSeen.await(5, TimeUnit.SECONDS), "shadow event not delivered within 5 s");
      assertEquals(1, levelTransitions("escalation").count());
      assertEquals(0, featureTransitions("search", FeatureState.SHED).count(), "nothing changed for callers");
    }
  }

  // ---------------------------------------------------------------- signals and late features

  @Test
  void signalGaugesAppearWhenFirstReadAndTrackTheLatestReading() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      assertNull(registry.find("limp.signal").meter());

      signals.set(TestSignals.LATENCY, 42);
      limp.tick();
      gauge("limp.level").value(); // a scrape
      assertEquals(42, signalGauge("test.latency").value());
      assertNull(registry.find("limp.signal").tag("signal", "test.saturation").meter(), "not read yet");

      signals.set(TestSignals.SATURATION, 0.5).set(TestSignals.LATENCY, 80);
      limp.tick();
      gauge("limp.level").value();
      assertEquals(0.5, signalGauge("test.saturation").value());
      assertEquals(80, signalGauge("test.latency").value());

      signals.clear(TestSignals.LATENCY);
      limp.tick();
      assertTrue(Double.isNaN(signalGauge("test.latency").value()), "no current reading: NaN");
      assertEquals(0.5, signalGauge("test.saturation").value());
    }
  }

  @Test
  void withAGaugePerSignalEachSignalHasAGaugeOfItsOwnNameSoAnUntaggedViewShowsOneReading() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp, LimpMetricNames.custom().gaugePerSignal(true).build()).bindTo(registry);
      signals.set(TestSignals.LATENCY, 42).set(TestSignals.SATURATION, 0.5);
      limp.tick();
      gauge("limp.level").value(); // a scrape
      assertEquals(1, registry.find("limp.signal.test.latency").gauges().size());
      assertEquals(42, registry.get("limp.signal.test.latency").tag("instance", "chat").gauge().value());
      assertEquals(0.5, registry.get("limp.signal.test.saturation").tag("instance", "chat").gauge().value());
      assertEquals(42, signalGauge("test.latency").value(), "the tagged family is still there");
      assertNull(registry.find("limp.signal.test.latency").tag("signal", "test.latency").meter());
    }
  }

  @Test
  void signalsReadBeforeBindingGetGaugesAtOnce() {
    try (Limp limp = limp()) {
      signals.set(TestSignals.SATURATION, 0.25);
      limp.tick();
      LimpMetrics.of(limp).bindTo(registry);
      assertEquals(0.25, signalGauge("test.saturation").value());
    }
  }

  @Test
  void signalGaugeAppearsOnALevelEventWithoutAScrape() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      await("the signal gauge registered by the listener",
          () -> registry.find("limp.signal").tag("signal", "test.latency").gauge() != null);
      assertEquals(300, signalGauge("test.latency").value());
    }
  }

  @Test
  void featureDeclaredAfterBindingGetsItsMetersAtTheNextScrape() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      FeatureGuard exports = limp.declare(FeatureConfig.of("exports", Tier.SHEDDABLE));
      assertNull(registry.find("limp.calls").tag("feature", "exports").meter(), "not noticed yet");

      gauge("limp.level").value(); // a scrape notices it
      assertEquals(INSTANCE_METERS + 3 * FEATURE_METERS, registry.getMeters().size(), names(registry));
      exports.get(() -> "csv");
      assertEquals(1, calls("exports", CallOutcome.PERMITTED).count());
      assertEquals("sheddable", calls("exports", CallOutcome.PERMITTED).getId().getTag("tier"));
      assertEquals(0, featureGauge("limp.feature.state", "exports").value());
    }
  }

  @Test
  void featureDeclaredAfterBindingCountsItsFirstTransition() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      limp.declare(FeatureConfig.of("exports", Tier.SHEDDABLE));

      signals.set(TestSignals.LATENCY, 300);
      limp.tick();

      await("exports shed once", () -> {
        Counter shed = registry.find("limp.feature.transitions").tag("feature", "exports").tag("to", "shed")
            .counter();
        return shed != null && shed.count() == 1;
      });
      assertEquals(2, featureGauge("limp.feature.state", "exports").value());
    }
  }

  // ---------------------------------------------------------------- names and references

  @Test
  void customNamesRenameEveryMeter() {
    LimpMetricNames names = LimpMetricNames.custom()
        .levelMetricName("chat.limp.level")
        .levelOverriddenMetricName("chat.limp.level.overridden")
        .levelTransitionsMetricName("chat.limp.level.transitions")
        .featureStateMetricName("chat.limp.feature.state")
        .featureAdmittedMetricName("chat.limp.feature.admitted")
        .featureWouldShedMetricName("chat.limp.feature.would.shed")
        .featureTransitionsMetricName("chat.limp.feature.transitions")
        .callsMetricName("chat.limp.calls")
        .shedCallsMetricName("chat.limp.calls.shed")
        .trialCallsMetricName("chat.limp.calls.trial")
        .deferredQueuedMetricName("chat.limp.deferred.queued")
        .signalMetricName("chat.limp.signal")
        .build();
    try (Limp limp = limp()) {
      signals.set(TestSignals.LATENCY, 42);
      limp.tick();
      LimpMetrics.of(limp, names).bindTo(registry);
      limp.guard("search").get(() -> "hits");

      assertEquals(INSTANCE_METERS + 2 * FEATURE_METERS + 1, registry.getMeters().size(), names(registry));
      assertTrue(registry.getMeters().stream().allMatch(m -> m.getId().getName().startsWith("chat.limp.")),
          names(registry));
      assertEquals(0, registry.get("chat.limp.level").gauge().value());
      assertEquals(1, registry.get("chat.limp.calls").tag("feature", "search").tag("outcome", "permitted")
          .functionCounter().count());
      assertEquals(42, registry.get("chat.limp.signal").tag("signal", "test.latency").gauge().value());
    }
  }

  @Test
  void gaugesDoNotKeepAClosedAndForgottenInstanceAlive() {
    WeakReference<Limp> ref = bindAndForget();
    await("the closed instance to be collected", () -> {
      System.gc();
      return ref.get() == null;
    });
    assertTrue(Double.isNaN(gauge("limp.level").value()), "a collected instance reads NaN");
    assertTrue(Double.isNaN(featureGauge("limp.feature.state", "search").value()));
    assertTrue(Double.isNaN(signalGauge("test.latency").value()));
  }

  private WeakReference<Limp> bindAndForget() {
    try (Limp limp = limp()) {
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      LimpMetrics.of(limp).bindTo(registry);
      limp.guard("search").get(() -> "hits");
      assertEquals(Level.SHED_SHEDDABLE.ordinal(), gauge("limp.level").value());
      return new WeakReference<>(limp);
    }
  }

  @Test
  void rejectsNullArguments() {
    try (Limp limp = limp()) {
      assertEquals("limp", assertThrows(NullPointerException.class, () -> LimpMetrics.of(null)).getMessage());
      assertEquals("names", assertThrows(NullPointerException.class, () -> LimpMetrics.of(limp, null))
          .getMessage());
      assertEquals("registry", assertThrows(NullPointerException.class,
          () -> LimpMetrics.of(limp).bindTo(null)).getMessage());
      assertFalse(registry.getMeters().iterator().hasNext());
    }
  }

  // ---------------------------------------------------------------- helpers

  private Gauge gauge(String name) {
    return registry.get(name).tag("instance", "chat").gauge();
  }

  private Gauge featureGauge(String name, String feature) {
    return registry.get(name).tag("instance", "chat").tag("feature", feature).gauge();
  }

  private Gauge signalGauge(String signal) {
    return registry.get("limp.signal").tag("instance", "chat").tag("signal", signal).gauge();
  }

  private FunctionCounter calls(String feature, CallOutcome outcome) {
    return registry.get("limp.calls").tag("instance", "chat").tag("feature", feature)
        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).functionCounter();
  }

  private FunctionCounter shedCalls(String feature, ShedHandling handling) {
    return registry.get("limp.calls.shed").tag("instance", "chat").tag("feature", feature)
        .tag("handling", handling.name().toLowerCase(Locale.ROOT)).functionCounter();
  }

  private Counter levelTransitions(String direction) {
    return registry.get("limp.level.transitions").tag("instance", "chat").tag("direction", direction).counter();
  }

  private Counter featureTransitions(String feature, FeatureState to) {
    return registry.get("limp.feature.transitions").tag("instance", "chat").tag("feature", feature)
        .tag("to", to.name().toLowerCase(Locale.ROOT)).counter();
  }

  private static String names(SimpleMeterRegistry registry) {
    return registry.getMeters().stream().map(Meter::getId).map(Object::toString).sorted()
        .collect(Collectors.joining("\n"));
  }

  /** Polls until the condition holds; fails after 5 s (events arrive on limp's event thread). */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("waited 5 s for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
