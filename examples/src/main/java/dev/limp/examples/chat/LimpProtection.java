package dev.limp.examples.chat;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.FeatureStatus;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.LimpListener;
import dev.limp.Tier;
import dev.limp.db.CanaryConfig;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.DatabaseMonitorBuilder;
import dev.limp.db.DatabaseSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * limp around the chat service: a limp instance whose features the {@link ChatService} annotations name, a
 * {@link DatabaseMonitor} on the pool, and the annotated proxy the clients call. Two set-ups:
 * <ul>
 *   <li>{@link #defaults()}: limp as a user adopts it, every setting at its default:
 *       {@link DatabaseSignals#defaultPolicy()}, the monitor's defaults (10 s window, a fifth of the pool
 *       reserved for the critical tiers, no canary), the features declared by the annotations;
 *   <li>{@link #demo(boolean)}: the demo's, with a short dwell and ramp so that a run fits in seconds, a canary,
 *       and "limp off" as shadow mode (limp decides and reports, sheds nothing, no reserve).
 * </ul>
 */
public final class LimpProtection implements ChatProtection {
  /** The demo's policy: the database defaults with a short dwell and ramp, so a run fits in seconds. */
  static final Duration DEMO_MIN_DWELL = Duration.ofSeconds(1);
  static final Duration DEMO_RAMP_PERIOD = Duration.ofSeconds(2);
  static final Duration DEMO_WINDOW = Duration.ofSeconds(2);

  private final boolean demo;
  private final boolean on;

  private LimpProtection(boolean demo, boolean on) {
    this.demo = demo;
    this.on = on;
  }

  /** limp with every default, as a user who adds it to this service would run it. */
  public static LimpProtection defaults() {
    return new LimpProtection(false, true);
  }

  /** The demo's limp: on, or off (shadow mode). */
  public static LimpProtection demo(boolean on) {
    return new LimpProtection(true, on);
  }

  public static GovernorPolicy demoPolicy() {
    return GovernorPolicy.from(DatabaseSignals.defaultPolicy()).minDwell(DEMO_MIN_DWELL)
        .rampPeriod(DEMO_RAMP_PERIOD).build();
  }

  @Override
  public String label() {
    return !demo ? "limp (defaults)" : on ? "limp on" : "limp off (shadow)";
  }

  @Override
  public boolean isLimpOn() {
    return on;
  }

  @Override
  public Protected protect(ProtectionContext context) {
    LimpListener reporter = new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent e) {
        context.levelChanged(e.from(), e.to(), e.reason(), e.shadow());
      }

      @Override
      public void onFeatureStateChanged(FeatureStateChangedEvent e) {
        context.featureChanged(e.feature(), e.to(),
            e.reason() == null ? "" : e.reason().cause() + ": " + e.reason().detail(), e.shadow());
      }
    };
    LimpBuilder builder = Limp.builder().name("chat-" + context.runName()).listener(reporter);
    if (demo) {
      builder.policy(demoPolicy())
          .tickInterval(Duration.ofMillis(100))
          .shadowMode(!on)
          .feature(FeatureConfig.builder("chat.read", Tier.CRITICAL_PLUS).governorOnly().build())
          .feature(FeatureConfig.builder("chat.post", Tier.CRITICAL_PLUS).governorOnly().build())
          .feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).governorOnly().build())
          .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().build())
          .feature(FeatureConfig.builder("activity", Tier.SHEDDABLE).governorOnly().build());
    } else {
      builder.policy(DatabaseSignals.defaultPolicy());
    }
    Limp limp = builder.build();
    DatabaseMonitor monitor;
    try {
      DatabaseMonitorBuilder m = DatabaseMonitor.builder(limp);
      if (demo) {
        m.window(DEMO_WINDOW, 10)
            .reserve(on ? 2 : 0)
            .canary(CanaryConfig.builder().interval(Duration.ofMillis(250)).timeout(Duration.ofSeconds(1)).build());
      }
      monitor = m.build();
    } catch (RuntimeException e) {
      limp.close();
      throw e;
    }
    ChatService chat = limp.proxy(ChatService.class, context.serviceOver(monitor.wrap(context.pool())));
    return new Protected() {
      @Override
      public ChatService service() {
        return chat;
      }

      @Override
      public Level level() {
        return limp.status().governorLevel();
      }

      @Override
      public String shedSummary() {
        List<String> shed = new ArrayList<>();
        for (FeatureStatus f : limp.status().features()) {
          if (on ? f.state() != FeatureState.ACTIVE : f.wouldShed()) {
            shed.add(f.name() + (f.state() == FeatureState.RAMPING ? " (ramping)" : ""));
          }
        }
        return (on ? "shed: " : "would shed: ") + (shed.isEmpty() ? "–" : String.join(", ", shed));
      }

      @Override
      public boolean allRestored() {
        for (FeatureStatus f : limp.status().features()) {
          if (f.state() != FeatureState.ACTIVE) {
            return false;
          }
        }
        return true;
      }

      @Override
      public Map<String, TrialCount> trialCalls() {
        Map<String, TrialCount> counts = new HashMap<>();
        for (FeatureGuard g : limp.guards()) {
          counts.put(g.name(), new TrialCount(g.healthyTrialCalls(), g.unhealthyTrialCalls()));
        }
        return counts;
      }

      @Override
      public void close() {
        try {
          monitor.close();
        } finally {
          limp.close();
        }
      }
    };
  }
}
