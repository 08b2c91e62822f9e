package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.OverrideChangedEvent.Action;
import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The operator switch from code: {@link Limp#overrides()}. */
class OverridesTest {
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();
  private final BlockingQueue<OverrideChangedEvent> events = new LinkedBlockingQueue<>();

  private LimpBuilder builder() {
    return Limp.builder()
        .name("overrides-test")
        .clock(clock)
        .governorThread(false)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("profile", Tier.CRITICAL)
        .feature("notifications", Tier.SHEDDABLE_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .signalSource(signals)
        .listener(new LimpListener() {
          @Override
          public void onOverrideChanged(OverrideChangedEvent event) {
            events.add(event);
          }
        });
  }

  private static Map<String, FeatureState> states(Limp limp) {
    Map<String, FeatureState> states = new TreeMap<>();
    limp.status().features().forEach(f -> states.put(f.name(), f.state()));
    return states;
  }

  private static Map<String, FeatureState> states(FeatureState chatPost, FeatureState profile,
      FeatureState notifications, FeatureState search) {
    return new TreeMap<>(Map.of("chat.post", chatPost, "profile", profile, "notifications", notifications,
        "search", search));
  }

  /** Everything a refused request must leave alone, as comparable lines. */
  private static List<String> fullState(Limp limp) {
    LimpStatus status = limp.status();
    List<String> lines = new ArrayList<>();
    lines.add("level=" + status.level() + " governor=" + status.governorLevel() + " since=" + status.levelSince()
        + " automatic=" + status.isAutomatic() + " reason=" + status.levelReason());
    status.features().forEach(f -> lines.add(f.name() + " " + f.state() + " " + f.admittedFraction()
        + " pinned=" + f.pinned() + " reason=" + f.reason()));
    status.overrides().forEach(o -> lines.add(o.toString()));
    return lines;
  }

  private OverrideChangedEvent nextEvent() throws InterruptedException {
    OverrideChangedEvent event = events.poll(5, TimeUnit.SECONDS);
    assertNotNull(event, "no OverrideChangedEvent within 5 s");
    return event;
  }

  private static void assertRefused(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), () -> "message should contain '" + fragment + "' but was: "
          + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void refusesBadRequestsWithMessagesThatTeachAndChangesNothing() throws Exception {
    try (Limp limp = builder().maxOverrideDuration(Duration.ofHours(1)).build()) {
      Overrides overrides = limp.overrides();
      overrides.forceLevel(Level.SHED_SHEDDABLE, TEN_MINUTES, "storage cannot keep up", "alice");
      overrides.shed("notifications", TEN_MINUTES, "notifications hold the pool", "alice");
      overrides.pin("search", TEN_MINUTES, "search is needed", "alice");
      for (int i = 0; i < 3; i++) {
        assertEquals(Action.APPLIED, nextEvent().action());
      }
      List<String> before = fullState(limp);

      String declared = "[chat.post, notifications, profile, search]";
      assertRefused(() -> overrides.shed("serch", TEN_MINUTES, "typo", "bob"), "unknown feature 'serch'", declared);
      assertRefused(() -> overrides.shedTopTier("serch", TEN_MINUTES, "typo", "bob"), "'serch'", declared);
      assertRefused(() -> overrides.pin("serch", TEN_MINUTES, "typo", "bob"), "'serch'", declared);
      assertRefused(() -> overrides.releaseFeature("serch", "bob"), "'serch'", declared);

      for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(-3))) {
        assertRefused(() -> overrides.forceLevel(Level.SHED_CRITICAL, bad, "why", "bob"), "duration",
            "positive", "but was " + bad);
        assertRefused(() -> overrides.shed("profile", bad, "why", "bob"), "duration", "positive", "" + bad);
        assertRefused(() -> overrides.shedTopTier("chat.post", bad, "why", "bob"), "duration", "positive");
        assertRefused(() -> overrides.pin("profile", bad, "why", "bob"), "duration", "positive");
      }

      Duration tooLong = Duration.ofHours(1).plusMillis(1);
      assertRefused(() -> overrides.forceLevel(Level.SHED_CRITICAL, tooLong, "why", "bob"),
          "maxOverrideDuration", "at most PT1H", "but was " + tooLong);
      assertRefused(() -> overrides.shed("profile", tooLong, "why", "bob"), "maxOverrideDuration");
      assertRefused(() -> overrides.shedTopTier("chat.post", tooLong, "why", "bob"), "maxOverrideDuration");
      assertRefused(() -> overrides.pin("profile", tooLong, "why", "bob"), "maxOverrideDuration");

      for (String reason : new String[] {null, "", "   "}) {
        String said = reason == null ? "missing" : "blank";
        assertRefused(() -> overrides.forceLevel(Level.SHED_CRITICAL, TEN_MINUTES, reason, "bob"), "reason", said);
        assertRefused(() -> overrides.shed("profile", TEN_MINUTES, reason, "bob"), "reason", said);
        assertRefused(() -> overrides.shedTopTier("chat.post", TEN_MINUTES, reason, "bob"), "reason", said);
        assertRefused(() -> overrides.pin("profile", TEN_MINUTES, reason, "bob"), "reason", said);
      }

      assertRefused(() -> overrides.shed("chat.post", TEN_MINUTES, "chat is the load", "bob"), "'chat.post'",
          "CRITICAL_PLUS", "top tier", "shedTopTier");
      assertRefused(() -> overrides.shedTopTier("profile", TEN_MINUTES, "chat is the load", "bob"), "'profile'",
          "CRITICAL", "not the top tier");

      assertThrows(NullPointerException.class, () -> overrides.forceLevel(null, TEN_MINUTES, "why", "bob"));
      assertThrows(NullPointerException.class, () -> overrides.shed(null, TEN_MINUTES, "why", "bob"));
      assertThrows(NullPointerException.class, () -> overrides.pin("profile", null, "why", "bob"));

      assertEquals(before, fullState(limp), "a refused request changes nothing");
      overrides.shed("profile", Duration.ofSeconds(30), "marker", "carol");
      OverrideChangedEvent next = nextEvent();
      assertEquals("marker", next.override().reason(), "a refused request emits no event: " + next);
    }
  }

  // ---------------------------------------------------------------- replace, list, release

  @Test
  void replacingAnOverrideOfTheSameTargetEmitsReplacedThenApplied() throws Exception {
    try (Limp limp = builder().build()) {
      OperatorOverride first = limp.overrides().shed("search", Duration.ofMinutes(1), "scans", "alice");
      OverrideChangedEvent applied = nextEvent();
      assertEquals(Action.APPLIED, applied.action());
      assertSame(first, applied.override());

      OperatorOverride second = limp.overrides().shed("search", Duration.ofMinutes(2), "still scans", "bob");

      OverrideChangedEvent replaced = nextEvent();
      assertEquals(Action.REPLACED, replaced.action());
      assertSame(first, replaced.override());
      assertEquals("bob", replaced.actor(), "replaced by whom");
      OverrideChangedEvent reapplied = nextEvent();
      assertEquals(Action.APPLIED, reapplied.action());
      assertSame(second, reapplied.override());
      assertEquals(List.of(second), limp.overrides().active());
      assertEquals(clock.instant().plus(Duration.ofMinutes(2)), second.expiresAt());
    }
  }

  @Test
  void aPinReplacesAShedOfTheSameFeature() throws Exception {
    try (Limp limp = builder().build()) {
      limp.overrides().shed("search", TEN_MINUTES, "scans", "alice");
      assertEquals(FeatureState.SHED, limp.guard("search").state());

      limp.overrides().pin("search", TEN_MINUTES, "needed after all", "bob");

      assertEquals(FeatureState.ACTIVE, limp.guard("search").state());
      assertEquals(List.of(OperatorOverride.Kind.PIN_FEATURE),
          limp.overrides().active().stream().map(OperatorOverride::kind).toList());
      assertEquals(Action.APPLIED, nextEvent().action());
      assertEquals(OperatorOverride.Kind.SHED_FEATURE, nextEvent().override().kind(), "REPLACED: the shed");
    }
  }

  @Test
  void replacingTheForcedLevelMovesToTheNewLevel() throws Exception {
    try (Limp limp = builder().build()) {
      OperatorOverride deep = limp.overrides().forceLevel(Level.SHED_CRITICAL, TEN_MINUTES, "storage", "alice");
      assertEquals(FeatureState.SHED, limp.guard("profile").state());

      limp.overrides().forceLevel(Level.SHED_SHEDDABLE, TEN_MINUTES, "storage recovering", "alice");

      assertEquals(Level.SHED_SHEDDABLE, limp.level());
      // what an operator had shed and no longer sheds is back at once (no ramp after an operator's shed)
      assertEquals(states(FeatureState.ACTIVE, FeatureState.ACTIVE, FeatureState.ACTIVE, FeatureState.SHED),
          states(limp));
      nextEvent();
      OverrideChangedEvent replaced = nextEvent();
      assertEquals(Action.REPLACED, replaced.action());
      assertSame(deep, replaced.override());
      assertEquals(1, limp.overrides().active().size());
    }
  }

  @Test
  void activeListsTheForcedLevelFirstThenFeaturesByName() {
    try (Limp limp = builder().build()) {
      limp.overrides().shed("search", TEN_MINUTES, "scans", "alice");
      limp.overrides().pin("notifications", TEN_MINUTES, "needed", "alice");
      limp.overrides().shedTopTier("chat.post", TEN_MINUTES, "chat is the load", "alice");
      limp.overrides().forceLevel(Level.SHED_SHEDDABLE_PLUS, TEN_MINUTES, "storage", "alice");

      List<OperatorOverride> active = limp.overrides().active();

      assertEquals(List.of("FORCE_LEVEL SHED_SHEDDABLE_PLUS", "SHED_FEATURE chat.post",
          "PIN_FEATURE notifications", "SHED_FEATURE search"),
          active.stream().map(o -> o.kind() + " " + o.target()).toList());
      assertEquals(active.toString(), limp.status().overrides().toString());
      assertFalse(limp.status().isAutomatic());
    }
  }

  @Test
  void releasesSayWhetherThereWasSomethingAndEmitReleased() throws Exception {
    try (Limp limp = builder().build()) {
      Overrides overrides = limp.overrides();
      assertFalse(overrides.releaseLevel("alice"));
      assertFalse(overrides.releaseFeature("search", "alice"));
      assertEquals(0, overrides.releaseAll("alice"));

      overrides.forceLevel(Level.SHED_SHEDDABLE, TEN_MINUTES, "storage", "alice");
      overrides.shed("notifications", TEN_MINUTES, "pool", "alice");
      overrides.pin("search", TEN_MINUTES, "needed", "alice");
      for (int i = 0; i < 3; i++) {
        nextEvent();
      }

      assertTrue(overrides.releaseFeature("search", "bob"));
      OverrideChangedEvent released = nextEvent();
      assertEquals(Action.RELEASED, released.action());
      assertEquals("search", released.override().target());
      assertEquals("bob", released.actor());
      assertEquals(FeatureState.SHED, limp.guard("search").state(), "the forced level sheds it again");

      assertTrue(overrides.releaseLevel("bob"));
      assertEquals(Action.RELEASED, nextEvent().action());
      assertTrue(limp.status().isAutomatic());
      assertEquals(FeatureState.ACTIVE, limp.guard("search").state(), "an operator's shed released: back at once");

      assertEquals(1, overrides.releaseAll("bob"));
      assertEquals("notifications", nextEvent().override().target());
      assertEquals(List.of(), overrides.active());
    }
  }

  // ---------------------------------------------------------------- what overrides do

  @Test
  void aForcedLevelNeverShedsTheTopTierButShedTopTierDoes() {
    try (Limp limp = builder().build()) {
      limp.overrides().forceLevel(Level.SHED_CRITICAL, TEN_MINUTES, "storage", "alice");
      assertEquals(states(FeatureState.ACTIVE, FeatureState.SHED, FeatureState.SHED, FeatureState.SHED),
          states(limp));

      limp.overrides().shedTopTier("chat.post", TEN_MINUTES, "chat itself is the load", "alice");

      assertEquals(FeatureState.SHED, limp.guard("chat.post").state());
      FeatureShedException shed = assertThrows(FeatureShedException.class,
          () -> limp.guard("chat.post").get(() -> "not run"));
      assertEquals(ShedCause.OVERRIDE, shed.reason().cause());
    }
  }

  @Test
  void forcingNormalStopsTheGovernorsSheddingWhileTheSignalsStayHigh() {
    GovernorPolicy policy = GovernorPolicy.custom()
        .rule(SignalRule.of(TestSignals.LATENCY)
            .level(Level.SHED_SHEDDABLE, 200, 100)
            .level(Level.SHED_SHEDDABLE_PLUS, 500, 250)
            .build())
        .build();
    try (Limp limp = builder().policy(policy).build()) {
      signals.set(TestSignals.LATENCY, 800);
      limp.tick();
      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level());
      assertEquals(states(FeatureState.ACTIVE, FeatureState.ACTIVE, FeatureState.SHED, FeatureState.SHED),
          states(limp));

      limp.overrides().forceLevel(Level.NORMAL, TEN_MINUTES, "the shed features are what users miss", "alice");

      assertEquals(Level.NORMAL, limp.level());
      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.status().governorLevel(), "the governor still wants to shed");
      assertEquals(states(FeatureState.ACTIVE, FeatureState.ACTIVE, FeatureState.RAMPING, FeatureState.RAMPING),
          states(limp));
      for (int i = 0; i < 40; i++) {
        clock.advanceSeconds(1);
        limp.tick();
        assertEquals(Level.NORMAL, limp.level(), "the operator wins over the governor at every tick");
        assertFalse(states(limp).containsValue(FeatureState.SHED), "tick " + i + ": " + states(limp));
      }
      assertEquals(states(FeatureState.ACTIVE, FeatureState.ACTIVE, FeatureState.ACTIVE, FeatureState.ACTIVE),
          states(limp), "ramped back in fully while forced NORMAL");
      assertEquals("hit", limp.guard("search").get(() -> "hit"));

      limp.overrides().releaseLevel("alice");

      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level(), "released: the governor's level again");
      assertEquals(FeatureState.SHED, limp.guard("search").state());
    }
  }

  @Test
  void anOverrideExpiresAfterItsDurationAndEmitsExpired() throws Exception {
    try (Limp limp = builder().build()) {
      OperatorOverride forced = limp.overrides().forceLevel(Level.SHED_SHEDDABLE_PLUS, Duration.ofMinutes(5),
          "storage", "alice");
      assertEquals(Action.APPLIED, nextEvent().action());

      clock.advance(Duration.ofMinutes(5).minusMillis(1));
      limp.tick();
      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level(), "in force until the last moment");

      clock.advanceMillis(1);
      limp.tick();

      assertEquals(Level.NORMAL, limp.level());
      assertTrue(limp.status().isAutomatic());
      assertEquals(List.of(), limp.overrides().active());
      assertEquals(FeatureState.ACTIVE, limp.guard("search").state(), "an operator's shed expired: back at once");
      OverrideChangedEvent expired = nextEvent();
      assertEquals(Action.EXPIRED, expired.action());
      assertSame(forced, expired.override());
      assertEquals("limp", expired.actor());
      assertEquals(forced.expiresAt(), expired.at());
    }
  }

  @Test
  void recordsTheActorAndReasonStrippedAndUnknownForNoActor() {
    try (Limp limp = builder().build()) {
      OperatorOverride named = limp.overrides().shed("search", TEN_MINUTES, "  scans  ", " alice ");
      OperatorOverride anonymous = limp.overrides().pin("profile", TEN_MINUTES, "needed", null);
      OperatorOverride blank = limp.overrides().pin("notifications", TEN_MINUTES, "needed", "  ");

      assertEquals("alice", named.actor());
      assertEquals("scans", named.reason());
      assertEquals("unknown", anonymous.actor());
      assertEquals("unknown", blank.actor());
      assertEquals(clock.instant(), named.createdAt());
      assertEquals(clock.instant().plus(TEN_MINUTES), named.expiresAt());
      ShedReason reason = limp.status().feature("search").orElseThrow().reason();
      assertEquals(ShedCause.OVERRIDE, reason.cause());
      assertTrue(reason.detail().contains("scans (by alice, until " + named.expiresAt() + ")"), reason.detail());
    }
  }

  @Test
  void overridesAreReportedInTheStatus() {
    try (Limp limp = builder().build()) {
      limp.overrides().pin("search", TEN_MINUTES, "needed", "alice");
      FeatureStatus search = limp.status().feature("search").orElseGet(() -> fail("no search"));
      assertTrue(search.pinned());
      assertEquals(1.0, search.admittedFraction());
    }
  }
}
