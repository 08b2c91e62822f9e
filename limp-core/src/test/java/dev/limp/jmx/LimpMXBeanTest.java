package dev.limp.jmx;

import static dev.limp.jmx.JmxClient.assertMessageContains;
import static dev.limp.jmx.JmxClient.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.FeatureShedException;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.LimpListener;
import dev.limp.OverrideChangedEvent;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator switch through the platform MBeanServer, called with attribute names, operation names and
 * signature strings only, as jconsole calls it.
 */
class LimpMXBeanTest {
  private static final String TOP = "chat.post";
  private static final String CRITICAL = "profile";
  private static final String SHEDDABLE_PLUS = "notifications";
  private static final String SHEDDABLE = "search";
  private static final String[] SHED_OPERATIONS = {"forceLevel", "shedFeature", "shedTopTierFeature",
      "pinFeature"};

  private final FakeClock clock = new FakeClock();
  private final BlockingQueue<OverrideChangedEvent> overrideEvents = new LinkedBlockingQueue<>();
  private final TestSignals signals = new TestSignals();

  private LimpBuilder builder() {
    return Limp.builder()
        .name(JmxClient.uniqueName("mxbean"))
        .clock(clock)
        .governorThread(false)
        .registerMBean(true)
        .feature(TOP, Tier.CRITICAL_PLUS)
        .feature(CRITICAL, Tier.CRITICAL)
        .feature(SHEDDABLE_PLUS, Tier.SHEDDABLE_PLUS)
        .feature(SHEDDABLE, Tier.SHEDDABLE)
        .signalSource(signals)
        .listener(new LimpListener() {
          @Override
          public void onOverrideChanged(OverrideChangedEvent event) {
            overrideEvents.add(event);
          }
        });
  }

  private static JmxClient jmx(Limp limp) {
    return new JmxClient(LimpJmx.objectName(limp.name()));
  }

  private static Map<String, String> states(String top, String critical, String sheddablePlus,
      String sheddable) {
    Map<String, String> states = new LinkedHashMap<>();
    states.put(TOP, top);
    states.put(SHEDDABLE_PLUS, sheddablePlus);
    states.put(CRITICAL, critical);
    states.put(SHEDDABLE, sheddable);
    return states;
  }

  /** Waits (bounded) for the override event of the given action and target, skipping the others. */
  private OverrideChangedEvent awaitOverrideEvent(OverrideChangedEvent.Action action, String target)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      long left = deadline - System.nanoTime();
      OverrideChangedEvent event = left <= 0 ? null : overrideEvents.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        return fail("no OverrideChangedEvent " + action + " of '" + target + "' within 5 s");
      }
      if (event.action() == action && event.override().target().equals(target)) {
        return event;
      }
    }
  }

  // ---------------------------------------------------------------- attributes

  @Test
  void exposesLevelStateAndFeaturesAsOpenTypes() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);

      assertEquals("NORMAL", jmx.attribute("Level"));
      assertEquals("NORMAL", jmx.attribute("GovernorLevel"));
      assertEquals("no signal has reached an enter threshold", jmx.attribute("LevelReason"));
      assertEquals(Boolean.TRUE, jmx.attribute("Automatic"));
      assertEquals(Boolean.FALSE, jmx.attribute("ShadowMode"));
      assertEquals(0, jmx.overrides().length);

      CompositeData[] features = jmx.features();
      assertEquals(List.of(TOP, SHEDDABLE_PLUS, CRITICAL, SHEDDABLE),
          Arrays.stream(features).map(row -> row.get("name")).toList(), "one row per feature, by name");
      assertEquals(new TreeSet<>(Set.of("name", "tier", "state", "admittedFraction", "reason", "wouldShed",
          "pinned", "circuitBreakerState", "permitted", "failed", "shed", "rejected", "deferredQueued",
          "trialCalls", "healthyTrialCalls", "unhealthyTrialCalls")),
          new TreeSet<>(features[0].getCompositeType().keySet()));
      CompositeData search = jmx.feature(SHEDDABLE);
      assertEquals("SHEDDABLE", search.get("tier"));
      assertEquals("ACTIVE", search.get("state"));
      assertEquals(1.0, search.get("admittedFraction"));
      assertEquals("", search.get("reason"));
      assertEquals(false, search.get("wouldShed"));
      assertEquals(false, search.get("pinned"));
      assertEquals("CLOSED", search.get("circuitBreakerState"));
      assertEquals(0L, search.get("permitted"));
      assertEquals(0, search.get("deferredQueued"));
      assertEquals(0L, search.get("trialCalls"));
      assertEquals(0L, search.get("healthyTrialCalls"));
      assertEquals(0L, search.get("unhealthyTrialCalls"));
      assertEquals("CRITICAL_PLUS", jmx.feature(TOP).get("tier"));

      Map<String, Object> openTypes = new LinkedHashMap<>();
      for (javax.management.MBeanAttributeInfo a : jmx.server.getMBeanInfo(jmx.name).getAttributes()) {
        openTypes.put(a.getName(), a.getDescriptor().getFieldValue("openType"));
      }
      assertEquals(Set.of("Level", "GovernorLevel", "LevelReason", "Automatic", "ShadowMode", "Features",
          "Signals", "Overrides"), openTypes.keySet());
      assertTrue(openTypes.get("Features") instanceof ArrayType, "Features is an array of CompositeData");
      assertTrue(openTypes.get("Signals") instanceof TabularType, "Signals is TabularData");
    }
  }

  @Test
  void featureCountersFollowTheCallsAndTheShedCalls() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      limp.guard(SHEDDABLE).get(() -> "hit");
      limp.guard(SHEDDABLE).get(() -> "hit");
      jmx.invoke("shedFeature", SHEDDABLE, 60, "search scans the messages table");
      try {
        limp.guard(SHEDDABLE).get(() -> "not run");
        fail("a shed feature without fallback throws");
      } catch (FeatureShedException expected) {
        // the shed call is counted
      }

      CompositeData search = jmx.feature(SHEDDABLE);
      assertEquals(2L, search.get("permitted"));
      assertEquals(1L, search.get("shed"));
      assertEquals("FORCED_OPEN", search.get("circuitBreakerState"));
    }
  }

  @Test
  void signalsAttributeIsATableOfTheLatestReadingsByName() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      assertTrue(jmx.attribute("Signals") instanceof TabularData);
      assertEquals(Map.of(), jmx.signals(), "no tick yet, no readings");

      signals.set(TestSignals.LATENCY, 42.5).set(TestSignals.SATURATION, 0.25);
      limp.tick();

      assertEquals(Map.of("test.latency", 42.5, "test.saturation", 0.25), jmx.signals());
    }
  }

  @Test
  void shadowModeAttributeTellsWhetherTheInstanceOnlyReports() throws Exception {
    try (Limp limp = builder().shadowMode(true).build()) {
      assertEquals(Boolean.TRUE, jmx(limp).attribute("ShadowMode"));
    }
  }

  @Test
  void governorLevelAndLevelReasonShowTheGovernorsDecisionUnderAForcedLevel() throws Exception {
    GovernorPolicy policy = GovernorPolicy.custom()
        .rule(dev.limp.SignalRule.of(TestSignals.LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build())
        .build();
    try (Limp limp = builder().policy(policy).build()) {
      JmxClient jmx = jmx(limp);
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      assertEquals("SHED_SHEDDABLE", jmx.level());
      assertEquals("SHED_SHEDDABLE", jmx.attribute("GovernorLevel"));
      assertMessageContainsText((String) jmx.attribute("LevelReason"), "test.latency", "300 ms");

      jmx.invoke("forceLevel", "NORMAL", 600, "the shed search is what users complain about");

      assertEquals("NORMAL", jmx.level());
      assertEquals("SHED_SHEDDABLE", jmx.attribute("GovernorLevel"));
      assertFalse(jmx.automatic());
      assertMessageContainsText((String) jmx.attribute("LevelReason"), "operator forced level NORMAL",
          "the shed search is what users complain about", "by jmx");
    }
  }

  private static void assertMessageContainsText(String text, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(text.contains(fragment), () -> "'" + text + "' should contain '" + fragment + "'");
    }
  }

  // ---------------------------------------------------------------- operations

  @ParameterizedTest(name = "forceLevel {0} sheds [{1}]")
  @CsvSource(delimiter = '|', value = {
      "NORMAL              | ''",
      "SHED_SHEDDABLE      | search",
      "SHED_SHEDDABLE_PLUS | notifications search",
      "SHED_CRITICAL       | notifications profile search",
      "shed_sheddable      | search"})
  void forceLevelShedsTheTiersOfThatLevelAndTurnsAutomaticOff(String level, String shed) throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      Set<String> expectedShed = shed.isBlank() ? Set.of() : Set.of(shed.split(" "));

      String answer = jmx.invoke("forceLevel", level, 600, "storage cannot keep up");

      String parsed = level.toUpperCase(java.util.Locale.ROOT);
      assertMessageContainsText(answer, "level forced to " + parsed);
      assertEquals(parsed, jmx.level());
      assertEquals("NORMAL", jmx.attribute("GovernorLevel"), "the governor's own decision is unchanged");
      assertFalse(jmx.automatic());
      for (Map.Entry<String, String> e : jmx.states().entrySet()) {
        assertEquals(expectedShed.contains(e.getKey()) ? "SHED" : "ACTIVE", e.getValue(), e.getKey());
      }
      assertEquals("ACTIVE", jmx.state(TOP), "a level never sheds the top tier");
      String[] overrides = jmx.overrides();
      assertEquals(1, overrides.length, Arrays.toString(overrides));
      assertMessageContainsText(overrides[0], "FORCE_LEVEL " + parsed, "by jmx", "storage cannot keep up");
    }
  }

  @Test
  void shedFeatureShedsThatFeatureOnly() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);

      String answer = jmx.invoke("shedFeature", SHEDDABLE_PLUS, 600, "notifications hold the pool");

      assertMessageContainsText(answer, "'notifications' shed", "now SHED");
      assertEquals(states("ACTIVE", "ACTIVE", "SHED", "ACTIVE"), jmx.states());
      assertEquals("NORMAL", jmx.level());
      assertTrue(jmx.automatic(), "shedding a feature does not force a level");
      assertEquals(0.0, jmx.admittedFraction(SHEDDABLE_PLUS));
      assertMessageContainsText((String) jmx.feature(SHEDDABLE_PLUS).get("reason"), "operator shed the feature",
          "notifications hold the pool");
    }
  }

  @Test
  void pinFeatureKeepsAFeatureOnWhileAForcedLevelWouldShedItsTier() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);

      jmx.invoke("pinFeature", SHEDDABLE, 600, "search is needed to find the bad rows");
      jmx.invoke("forceLevel", "SHED_CRITICAL", 600, "storage cannot keep up");

      assertEquals(states("ACTIVE", "SHED", "SHED", "ACTIVE"), jmx.states());
      assertEquals(true, jmx.feature(SHEDDABLE).get("pinned"));
      assertEquals(1.0, jmx.admittedFraction(SHEDDABLE));
    }
  }

  @Test
  void pinFeatureBringsBackAFeatureAForcedLevelAlreadyShed() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      jmx.invoke("forceLevel", "SHED_SHEDDABLE", 600, "storage cannot keep up");
      assertEquals("SHED", jmx.state(SHEDDABLE));

      String answer = jmx.invoke("pinFeature", SHEDDABLE, 600, "search is needed to find the bad rows");

      assertMessageContainsText(answer, "'search' pinned on", "now ACTIVE");
      assertEquals("ACTIVE", jmx.state(SHEDDABLE));
      assertEquals(true, jmx.feature(SHEDDABLE).get("pinned"));
    }
  }

  @Test
  void shedFeatureRefusesTheTopTierAndPointsToShedTopTierFeature() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> before = jmx.fullState();

      IllegalArgumentException e = refused(() -> jmx.invoke("shedFeature", TOP, 600, "chat itself is the load"));

      assertMessageContains(e, "'chat.post'", "CRITICAL_PLUS", "shedTopTierFeature");
      assertEquals(before, jmx.fullState(), "a refused request changes nothing");
    }
  }

  @Test
  void shedTopTierFeatureShedsTheTopTier() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);

      String answer = jmx.invoke("shedTopTierFeature", TOP, 300, "chat itself is the load");

      assertMessageContainsText(answer, "top-tier feature 'chat.post' shed", "now SHED");
      assertEquals(states("SHED", "ACTIVE", "ACTIVE", "ACTIVE"), jmx.states());
    }
  }

  @Test
  void shedTopTierFeatureRefusesAFeatureBelowTheTopTierAndPointsToShedFeature() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> before = jmx.fullState();

      IllegalArgumentException e = refused(() -> jmx.invoke("shedTopTierFeature", SHEDDABLE, 300, "typo"));

      assertMessageContains(e, "'search'", "SHEDDABLE", "not the top tier", "shedFeature");
      assertEquals(before, jmx.fullState());
    }
  }

  @Test
  void releaseLevelRestoresTheFeaturesTheOperatorShedAtOnce() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> initial = jmx.fullState();
      jmx.invoke("forceLevel", "SHED_SHEDDABLE_PLUS", 600, "storage cannot keep up");
      clock.advanceSeconds(5);
      limp.tick();

      String answer = jmx.releaseLevel();

      assertMessageContainsText(answer, "forced level released", "level now NORMAL");
      assertEquals("NORMAL", jmx.level());
      assertTrue(jmx.automatic());
      assertEquals(0, jmx.overrides().length);
      assertEquals(states("ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"), jmx.states(),
          "an operator's shed released: back at once, no ramp (the governor sheds nothing)");
      assertEquals(1.0, jmx.admittedFraction(SHEDDABLE), 1e-9);
      assertEquals(initial, jmx.fullState(), "the instance is as it was");
    }
  }

  @Test
  void releaseFeatureRestoresAFeatureTheOperatorShedAtOnce() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> initial = jmx.fullState();
      jmx.invoke("shedFeature", SHEDDABLE, 600, "search scans the messages table");

      String answer = jmx.releaseFeature(SHEDDABLE);

      assertMessageContainsText(answer, "override of 'search' released", "now ACTIVE");
      assertEquals("ACTIVE", jmx.state(SHEDDABLE));
      assertEquals(1.0, jmx.admittedFraction(SHEDDABLE), 1e-9);
      assertEquals(0, jmx.overrides().length);
      assertEquals(initial, jmx.fullState());
    }
  }

  @Test
  void releaseFeatureOfAPinLetsTheForcedLevelShedIt() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      jmx.invoke("forceLevel", "SHED_SHEDDABLE", 600, "storage cannot keep up");
      jmx.invoke("pinFeature", SHEDDABLE, 600, "search is needed");

      jmx.releaseFeature(SHEDDABLE);

      assertEquals("SHED", jmx.state(SHEDDABLE));
      assertEquals(false, jmx.feature(SHEDDABLE).get("pinned"));
      assertEquals(1, jmx.overrides().length, "the forced level stays");
    }
  }

  @Test
  void releaseAllRestoresEveryFeatureTheOperatorShedAtOnce() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> initial = jmx.fullState();
      jmx.invoke("forceLevel", "SHED_SHEDDABLE_PLUS", 600, "storage cannot keep up");
      jmx.invoke("shedTopTierFeature", TOP, 600, "chat itself is the load");
      jmx.invoke("pinFeature", SHEDDABLE, 600, "search is needed");
      assertEquals(states("SHED", "ACTIVE", "SHED", "ACTIVE"), jmx.states());

      String answer = jmx.releaseAll();

      assertMessageContainsText(answer, "3 override(s) released", "level now NORMAL");
      assertEquals(0, jmx.overrides().length);
      assertTrue(jmx.automatic());
      assertEquals(states("ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"), jmx.states(),
          "an operator's sheds released: back at once, no ramp (the governor sheds nothing)");
      assertEquals(1.0, jmx.admittedFraction(TOP), 1e-9);
      assertEquals(initial, jmx.fullState());
    }
  }

  @Test
  void releaseOperationsSaySoWhenThereWasNothingToRelease() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> before = jmx.fullState();

      assertMessageContainsText(jmx.releaseLevel(), "no level was forced; nothing changed");
      assertMessageContainsText(jmx.releaseFeature(SHEDDABLE), "'search' had no override; nothing changed");
      assertMessageContainsText(jmx.releaseAll(), "no overrides were in force; nothing changed");
      assertEquals(before, jmx.fullState());
    }
  }

  // ---------------------------------------------------------------- expiry

  @ParameterizedTest(name = "{0} {1} expires")
  @CsvSource({
      "forceLevel,         SHED_SHEDDABLE_PLUS",
      "shedFeature,        search",
      "shedTopTierFeature, chat.post"})
  void everyOverrideExpiresAfterItsDurationAndTheFeaturesComeBackThroughTheRamp(String operation,
      String target) throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      List<String> initial = jmx.fullState();
      jmx.invoke(operation, target, 120, "for two minutes");
      List<String> applied = jmx.fullState();
      assertNotEquals(initial, applied);

      clock.advanceSeconds(119);
      limp.tick();
      assertEquals(applied, jmx.fullState(), "in force until its duration is over");

      clock.advanceSeconds(1);
      limp.tick();
      assertEquals(0, jmx.overrides().length);
      assertTrue(jmx.automatic());
      assertEquals("NORMAL", jmx.level());
      Map<String, String> restored = jmx.states();
      assertFalse(restored.containsValue("SHED"), () -> "restored: " + restored);
      OverrideChangedEvent expired = awaitOverrideEvent(OverrideChangedEvent.Action.EXPIRED, target);
      assertEquals("limp", expired.actor());
      assertEquals("jmx", expired.override().actor());

      clock.advance(GovernorPolicy.DEFAULT_RAMP_PERIOD);
      limp.tick();
      assertEquals(initial, jmx.fullState());
    }
  }

  @Test
  void pinExpiresAfterItsDurationAndTheForcedLevelShedsTheFeatureAgain() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      jmx.invoke("forceLevel", "SHED_SHEDDABLE", 3600, "storage cannot keep up");
      jmx.invoke("pinFeature", SHEDDABLE, 60, "search is needed for a minute");
      assertEquals("ACTIVE", jmx.state(SHEDDABLE));

      clock.advanceSeconds(60);
      limp.tick();

      assertEquals("SHED", jmx.state(SHEDDABLE));
      assertEquals(false, jmx.feature(SHEDDABLE).get("pinned"));
      OverrideChangedEvent expired = awaitOverrideEvent(OverrideChangedEvent.Action.EXPIRED, SHEDDABLE);
      assertEquals(dev.limp.OperatorOverride.Kind.PIN_FEATURE, expired.override().kind());
      assertEquals(1, jmx.overrides().length, "the longer forced level is still in force");
    }
  }

  // ---------------------------------------------------------------- refusals

  /** Puts some overrides in force, so that a refused request has something it could wrongly change. */
  private static void someOverrides(JmxClient jmx) throws JMException {
    jmx.invoke("forceLevel", "SHED_SHEDDABLE", 600, "storage cannot keep up");
    jmx.invoke("shedFeature", SHEDDABLE_PLUS, 600, "notifications hold the pool");
    jmx.invoke("pinFeature", SHEDDABLE, 600, "search is needed");
  }

  @Test
  void refusesAnUnknownFeatureNamingTheDeclaredOnesAndChangesNothing() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      for (String operation : List.of("shedFeature", "shedTopTierFeature", "pinFeature")) {
        IllegalArgumentException e = refused(() -> jmx.invoke(operation, "serch", 600, "typo"));
        assertMessageContains(e, "unknown feature 'serch'", "[chat.post, notifications, profile, search]");
      }
      IllegalArgumentException e = refused(() -> jmx.releaseFeature("serch"));
      assertMessageContains(e, "unknown feature 'serch'", "[chat.post, notifications, profile, search]");

      assertEquals(before, jmx.fullState());
      assertEquals(Set.of(TOP, CRITICAL, SHEDDABLE_PLUS, SHEDDABLE), jmx.states().keySet(),
          "a typo never creates a feature");
    }
  }

  @Test
  void refusesAMissingFeatureNameWithAMessageAndChangesNothing() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      for (String operation : List.of("shedFeature", "shedTopTierFeature", "pinFeature")) {
        assertMessageContains(refused(() -> jmx.invoke(operation, null, 600, "oops")), "feature",
            "[chat.post, notifications, profile, search]");
        assertMessageContains(refused(() -> jmx.invoke(operation, "", 600, "oops")), "unknown feature ''");
      }
      assertMessageContains(refused(() -> jmx.releaseFeature(null)), "feature",
          "[chat.post, notifications, profile, search]");

      assertEquals(before, jmx.fullState());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHED_EVERYTHING", "", "CRITICAL"})
  void refusesAnUnknownLevelListingTheAllowedLevelsAndChangesNothing(String level) throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      IllegalArgumentException e = refused(() -> jmx.invoke("forceLevel", level, 600, "typo"));

      assertMessageContains(e, "level", "'" + level + "'", "NORMAL", "SHED_SHEDDABLE", "SHED_SHEDDABLE_PLUS",
          "SHED_CRITICAL");
      assertEquals(before, jmx.fullState());
    }
  }

  @Test
  void refusesAMissingLevelAndChangesNothing() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      IllegalArgumentException e = refused(() -> jmx.invoke("forceLevel", null, 600, "typo"));

      assertMessageContains(e, "level must be one of", "SHED_CRITICAL");
      assertEquals(before, jmx.fullState());
    }
  }

  @ParameterizedTest(name = "durationSeconds {0}")
  @ValueSource(longs = {0, -1, -86_400, Long.MIN_VALUE})
  void refusesANonPositiveDurationForEveryOperationAndChangesNothing(long seconds) throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      for (String operation : SHED_OPERATIONS) {
        String target = operation.equals("forceLevel") ? "SHED_CRITICAL"
            : operation.equals("shedTopTierFeature") ? TOP : SHEDDABLE_PLUS;
        IllegalArgumentException e = refused(() -> jmx.invoke(operation, target, seconds, "oops"));
        assertMessageContains(e, "durationSeconds", "positive", "but was " + seconds);
      }
      assertEquals(before, jmx.fullState());
    }
  }

  @Test
  void refusesADurationOverTheMaximumAndChangesNothing() throws Exception {
    try (Limp limp = builder().maxOverrideDuration(Duration.ofHours(1)).build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      for (String operation : SHED_OPERATIONS) {
        String target = operation.equals("forceLevel") ? "SHED_CRITICAL"
            : operation.equals("shedTopTierFeature") ? TOP : SHEDDABLE_PLUS;
        IllegalArgumentException e = refused(() -> jmx.invoke(operation, target, 3601, "too long"));
        assertMessageContains(e, "maxOverrideDuration", "at most PT1H", "but was PT1H1S");
        IllegalArgumentException huge = refused(() -> jmx.invoke(operation, target, Long.MAX_VALUE, "forever"));
        assertMessageContains(huge, "maxOverrideDuration", "at most PT1H", "but was PT");
      }
      assertEquals(before, jmx.fullState());

      jmx.invoke("forceLevel", "SHED_CRITICAL", 3600, "exactly the maximum is allowed");
      assertEquals("SHED_CRITICAL", jmx.level());
    }
  }

  @Test
  void refusesAMissingOrBlankReasonForEveryOperationAndChangesNothing() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);
      someOverrides(jmx);
      List<String> before = jmx.fullState();

      for (String operation : SHED_OPERATIONS) {
        String target = operation.equals("forceLevel") ? "SHED_CRITICAL"
            : operation.equals("shedTopTierFeature") ? TOP : SHEDDABLE_PLUS;
        assertMessageContains(refused(() -> jmx.invoke(operation, target, 600, null)), "reason", "missing");
        assertMessageContains(refused(() -> jmx.invoke(operation, target, 600, "")), "reason", "blank");
        assertMessageContains(refused(() -> jmx.invoke(operation, target, 600, " \t ")), "reason", "blank");
      }
      assertEquals(before, jmx.fullState());
    }
  }

  // ---------------------------------------------------------------- the actor

  @Test
  void recordsTheActorAsJmxForAnUnauthenticatedCall() throws Exception {
    try (Limp limp = builder().build()) {
      JmxClient jmx = jmx(limp);

      jmx.invoke("shedFeature", SHEDDABLE, 600, "search scans the messages table");
      jmx.invoke("forceLevel", "SHED_SHEDDABLE_PLUS", 600, "storage cannot keep up");

      assertEquals(List.of("jmx", "jmx"), limp.overrides().active().stream().map(o -> o.actor()).toList());
      assertMessageContainsText(jmx.overrides()[0], "by jmx until");
      assertEquals("jmx", awaitOverrideEvent(OverrideChangedEvent.Action.APPLIED, SHEDDABLE).actor());

      jmx.releaseAll();
      assertEquals("jmx", awaitOverrideEvent(OverrideChangedEvent.Action.RELEASED, SHEDDABLE).actor());
    }
  }
}
