package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.OperatorOverride;
import dev.limp.OverrideChangedEvent;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world what the governor and the operators decided: one log line per change (logger
 * {@code dev.limp.Limp}) and one event per change to the listeners. Posting only queues the event for the
 * event thread, so a change is reported in the order it was decided. Thread-safe.
 */
final class ChangeReporter {
  private static final Logger LOG = LoggerFactory.getLogger(Limp.class);

  private final String name;
  private final boolean shadowMode;
  private final EventDispatcher events;

  ChangeReporter(String name, boolean shadowMode, EventDispatcher events) {
    this.name = name;
    this.shadowMode = shadowMode;
    this.events = events;
  }

  void levelChanged(Level from, Level to, String reason, boolean overridden, Instant wall) {
    String who = overridden ? "operator" : shadowMode ? "governor (SHADOW MODE, nothing shed)" : "governor";
    if (to.compareTo(Level.SHED_SHEDDABLE_PLUS) >= 0 && to.compareTo(from) > 0) {
      LOG.warn("limp[{}]: level {} → {} by {}: {}", name, from, to, who, reason);
    } else {
      LOG.info("limp[{}]: level {} → {} by {}: {}", name, from, to, who, reason);
    }
    events.levelChanged(new LevelChangedEvent(name, from, to, reason, overridden, shadowMode, wall));
  }

  void featureStateChanged(FeatureRuntime f, Admission before, Admission after, Instant wall) {
    switch (after.state()) {
      case SHED -> LOG.info("limp[{}]: feature '{}' ({}) shed: {}", name, f.name(), f.tier(),
          after.reason().detail());
      case RAMPING -> LOG.info("limp[{}]: feature '{}' ({}) let back in: {}", name, f.name(), f.tier(),
          after.reason().detail());
      case ACTIVE -> LOG.info("limp[{}]: feature '{}' ({}) fully restored{}", name, f.name(), f.tier(),
          after.pinned() ? " (pinned by operator)" : "");
      case THROTTLED -> LOG.info("limp[{}]: feature '{}' ({}) throttled: {}", name, f.name(), f.tier(),
          after.reason().detail());
    }
    events.featureStateChanged(new FeatureStateChangedEvent(name, f.name(), f.tier(), before.state(),
        after.state(), after.reason(), false, wall));
  }

  /** In shadow mode: what the governor would have done to {@code f}. */
  void wouldShedChanged(FeatureRuntime f, Admission after, Instant wall) {
    if (after.wouldShed()) {
      LOG.info("limp[{}]: SHADOW MODE: would shed feature '{}' ({}): {}", name, f.name(), f.tier(),
          after.wouldShedReason().detail());
      events.featureStateChanged(new FeatureStateChangedEvent(name, f.name(), f.tier(), FeatureState.ACTIVE,
          FeatureState.SHED, after.wouldShedReason(), true, wall));
    } else {
      LOG.info("limp[{}]: SHADOW MODE: would restore feature '{}' ({})", name, f.name(), f.tier());
      events.featureStateChanged(new FeatureStateChangedEvent(name, f.name(), f.tier(), FeatureState.SHED,
          FeatureState.ACTIVE, null, true, wall));
    }
  }

  void expired(List<OperatorOverride> expired, Instant wall) {
    for (OperatorOverride o : expired) {
      LOG.info("limp[{}]: override expired: {}", name, o);
    }
    overridesChanged(expired, OverrideChangedEvent.Action.EXPIRED, "limp", wall);
  }

  void overridesChanged(List<OperatorOverride> changed, OverrideChangedEvent.Action action, String actor,
      Instant wall) {
    for (OperatorOverride o : changed) {
      events.overrideChanged(new OverrideChangedEvent(name, o, action, actor, wall));
    }
  }

  /**
   * One operator command, as one audit record: a readable line, and the same facts as key-value pairs for
   * logging back ends that keep them (SLF4J 2; others append them to the line). Every text in it was made
   * {@linkplain Checks#printable printable} by the operator switch, so a record is always one line.
   *
   * @param what what was done, e.g. {@code forced level SHED_CRITICAL} or {@code shed feature 'search'}
   * @param subject what {@code before} and {@code after} describe: {@code level} or {@code feature}
   * @param duration how long the override lasts; {@code null} for a release
   * @param reason the operator's reason; for a release, the override released
   */
  void audit(String actor, String what, Object duration, Object reason, String subject, Object before,
      Object after) {
    LOG.atInfo()
        .addKeyValue("limp.instance", name)
        .addKeyValue("limp.actor", actor)
        .addKeyValue("limp.command", what)
        .addKeyValue("limp.duration", duration)
        .addKeyValue("limp.reason", reason)
        .addKeyValue("limp." + subject + ".before", before)
        .addKeyValue("limp." + subject + ".after", after)
        .log("limp[{}]: {} {}{} ({}); {} {} → {}", name, actor, what, duration == null ? "" : " for " + duration,
            reason, subject, before, after);
  }
}
