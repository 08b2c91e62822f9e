package dev.limp.spring.autoconfigure;

import dev.limp.FeatureConfig;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.LimpClock;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.db.CanaryConfig;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.DatabaseMonitorBuilder;
import dev.limp.db.DatabaseSignals;
import dev.limp.db.MonitoredDataSource;
import dev.limp.spring.DatabaseMonitorCustomizer;
import dev.limp.spring.LimpConfigurationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Applies the {@code limp.*} properties to the core builders, turning each refusal of a builder into a
 * {@link LimpConfigurationException} that names the property. Stateless.
 */
final class LimpFactory {
  private LimpFactory() {
  }

  /** A builder with every {@code limp.*} property applied (not the database ones). */
  static LimpBuilder builder(LimpProperties p, LimpClock clock) {
    LimpBuilder b = Limp.builder();
    set("limp.name", p.getName(), b::name, "use 1 to 64 letters, digits, '.', '_' or '-'");
    set("limp.tick-interval", p.getTickInterval(), b::tickInterval, "use a duration between 10ms and 1m");
    set("limp.max-override-duration", p.getMaxOverrideDuration(), b::maxOverrideDuration,
        "use a positive duration, such as 4h");
    b.shadowMode(p.isShadowMode());
    b.governorThread(p.isGovernorThread());
    if (clock != null) {
      b.clock(clock);
    }
    b.policy(policy(p.getPolicy()));
    p.getFeatures().forEach((name, f) -> b.feature(feature(name, f)));
    return b;
  }

  /** The policy of the {@code limp.policy.*} properties. */
  static GovernorPolicy policy(LimpPolicyProperties p) {
    GovernorPolicy.Builder b = p.isDatabaseRules() ? GovernorPolicy.from(DatabaseSignals.defaultPolicy())
        : GovernorPolicy.custom();
    set("limp.policy.min-dwell", p.getMinDwell(), b::minDwell, "use a positive duration, such as 15s");
    if (p.getMaxDwell() != null) {
      set("limp.policy.max-dwell", p.getMaxDwell(), b::maxDwell, "use a positive duration, such as 2m");
      // The rule (max-dwell ≥ min-dwell) is GovernorPolicy's: a policy of the two dwells alone is built so
      // that a refusal can only be theirs, and is reported against limp.policy.max-dwell.
      Duration minDwell = p.getMinDwell();
      check("limp.policy.max-dwell", p.getMaxDwell(),
          max -> GovernorPolicy.custom().minDwell(minDwell).maxDwell(max).build(),
          "Set 'limp.policy.max-dwell' to at least limp.policy.min-dwell (" + minDwell + "), or leave it out "
          + "for 8 times min-dwell");
    }
    set("limp.policy.ramp-period", p.getRampPeriod(), b::rampPeriod, "use a positive duration, such as 30s");
    set("limp.policy.ramp-steps", p.getRampSteps(),
        steps -> b.rampSteps(steps.stream().mapToDouble(Double::doubleValue).toArray()),
        "list fractions in (0, 1] that strictly rise, such as 0.1,0.5,1.0");
    p.getRules().forEach((signalName, rule) -> b.replaceRule(rule(signalName, rule)));
    return apply("limp.policy", p, ignored -> b.build(),
        "make limp.policy.ramp-period long enough for limp.policy.ramp-steps");
  }

  private static SignalRule rule(String signalName, LimpRuleProperties r) {
    String prefix = "limp.policy.rules[" + signalName + "]";
    Signal.Unit unit = r.getUnit();
    if (unit == null) {
      List<Signal> databaseSignals = DatabaseSignals.all();
      unit = databaseSignals.stream().filter(s -> s.name().equals(signalName)).map(Signal::unit).findFirst()
          .orElseThrow(() -> new LimpConfigurationException(prefix + ".unit", null, "signal '" + signalName
              + "' is not one of limp's database signals " + databaseSignals.stream().map(Signal::name).toList()
              + ", so its unit must be given", "Set " + prefix + ".unit to one of "
              + Arrays.toString(Signal.Unit.values()) + ", or correct the signal's name", null));
    }
    Signal.Unit known = unit;
    Signal signal = apply(prefix, signalName, name -> Signal.of(name, known), "name the signal in lower case, "
        + "dot-separated, such as db.query.p99");
    SignalRule.Builder b = SignalRule.of(signal);
    if (r.getLevels().isEmpty()) {
      throw new LimpConfigurationException(prefix + ".levels", null, "the rule names no level",
          "Give at least one level's thresholds, such as " + prefix + ".levels.shed-sheddable.enter=250 and "
          + ".exit=100", null);
    }
    for (Map.Entry<Level, LimpThresholdProperties> e : r.getLevels().entrySet()) {
      String at = prefix + ".levels." + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', '-');
      LimpThresholdProperties t = e.getValue();
      if (t.getEnter() == null || t.getExit() == null) {
        throw new LimpConfigurationException(at, null, "both enter and exit thresholds are required, but "
            + (t.getEnter() == null ? "enter" : "exit") + " is missing",
            "Set " + at + ".enter and " + at + ".exit (exit below enter)", null);
      }
      set(at, "enter=" + t.getEnter() + ", exit=" + t.getExit(),
          ignored -> b.level(e.getKey(), t.getEnter(), t.getExit()),
          "give an exit threshold below the enter threshold, for a level other than NORMAL");
    }
    return apply(prefix, r.getLevels().keySet(), ignored -> b.build(),
        "make the thresholds rise with the level");
  }

  static FeatureConfig feature(String name, LimpFeatureProperties f) {
    String prefix = "limp.features." + name;
    if (f.getTier() == null) {
      throw new LimpConfigurationException(prefix + ".tier", null, "feature '" + name + "' has no tier",
          "Set " + prefix + ".tier to one of " + Arrays.toString(Tier.values()), null);
    }
    FeatureConfig.Builder b = apply(prefix, name, n -> FeatureConfig.builder(n, f.getTier()),
        "name features with 1 to 100 letters, digits, '.', '_' or '-' (use brackets for dots: "
        + "limp.features[chat.post].tier)");
    if (f.isGovernorOnly()) {
      if (f.getCircuitBreaker().isSet()) {
        throw new LimpConfigurationException(prefix + ".circuit-breaker", null, "feature '" + name + "' is "
            + "governor-only, so it has no circuit breaker to tune", "Remove " + prefix + ".governor-only, or "
            + "the " + prefix + ".circuit-breaker.* properties.", null);
      }
      b.governorOnly();
    } else if (f.getCircuitBreaker().isSet()) {
      b.circuitBreaker(CircuitBreakerSettings.of(prefix, f.getCircuitBreaker()));
    }
    if (f.getBulkhead() != null) {
      set(prefix + ".bulkhead", f.getBulkhead(), b::bulkhead, "use at least 1");
    }
    if (f.getStaleValueMaxAge() != null) {
      set(prefix + ".stale-value-max-age", f.getStaleValueMaxAge() + ", max entries "
          + f.getStaleValueMaxEntries(), ignored -> b.staleValues(f.getStaleValueMaxAge(),
          f.getStaleValueMaxEntries()), "use a positive duration and at least 1 entry");
    }
    if (f.getDeferQueueCapacity() != null) {
      set(prefix + ".defer-queue-capacity", f.getDeferQueueCapacity(), b::deferWhenShed,
          "use a capacity between 1 and 1000000");
    }
    return b.build();
  }

  /** A monitor builder with every {@code limp.database.*} property applied. */
  static DatabaseMonitorBuilder monitor(Limp limp, LimpDatabaseProperties p, LimpClock clock) {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    if (clock != null) {
      b.clock(clock);
    }
    set("limp.database.window", p.getWindow() + " in " + p.getWindowBuckets() + " buckets",
        ignored -> b.window(p.getWindow(), p.getWindowBuckets()),
        "use a window of 1s to 10m and 1 to 600 window-buckets, each at least 10ms long");
    if (p.getReserve() != null) {
      set("limp.database.reserve", p.getReserve(), b::reserve,
          "use 0 (no reserve) or a number of connections below the pool's maximum");
    }
    b.reserveFor(p.getReserveFor());
    set("limp.database.culprit-share", p.getCulpritShare(), b::culpritShare, "use a share above 0, at most 1");
    LimpCanaryProperties c = p.getCanary();
    if (c.isEnabled()) {
      CanaryConfig.Builder canary = CanaryConfig.builder();
      if (c.getQuery() != null) {
        set("limp.database.canary.query", c.getQuery(), canary::query, "give a non-blank query");
      }
      set("limp.database.canary.interval", c.getInterval(), canary::interval,
          "use a duration between 100ms and 1h");
      set("limp.database.canary.timeout", c.getTimeout(), canary::timeout,
          "use a duration between 10ms and 1m");
      b.canary(canary.build());
    }
    return b;
  }

  /**
   * Watches a DataSource: the monitor of the {@code limp.database.*} properties, changed by the customizers,
   * wrapping it. A DataSource the monitor refuses (a reserve not below the pool's maximum) closes the monitor
   * and fails with a report that names {@code limp.database.reserve}.
   */
  static MonitoredDataSource watch(Limp limp, LimpDatabaseProperties p, LimpClock clock,
      Stream<DatabaseMonitorCustomizer> customizers, DataSource dataSource) {
    DatabaseMonitorBuilder builder = monitor(limp, p, clock);
    customizers.forEach(c -> c.customize(builder));
    DatabaseMonitor monitor = builder.build();
    try {
      return monitor.wrap(dataSource);
    } catch (IllegalStateException | IllegalArgumentException e) {
      monitor.close();
      throw new LimpConfigurationException("limp.database.reserve", p.getReserve(), e.getMessage(),
          "Update 'limp.database.reserve' in your application's configuration: use 0 (no reserve) or a number "
          + "of connections below the pool's maximum.", e);
    }
  }

  /** Runs a builder call, turning its refusal into a report that names the property. */
  private static <T, R> R apply(String property, T value, Function<T, R> call, String allowed) {
    return check(property, value, call, "Update '" + property + "' in your application's configuration: "
        + allowed + ".");
  }

  /** Runs a builder call, turning its refusal into a report that names the property and the action. */
  private static <T, R> R check(String property, T value, Function<T, R> call, String action) {
    try {
      return call.apply(value);
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new LimpConfigurationException(property, value, e.getMessage(), action, e);
    }
  }

  private static <T> void set(String property, T value, Consumer<T> call, String allowed) {
    apply(property, value, v -> {
      call.accept(v);
      return null;
    }, allowed);
  }
}
