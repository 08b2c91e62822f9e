package dev.limp.internal;

import dev.limp.Level;
import dev.limp.OperatorOverride;
import dev.limp.OverrideChangedEvent;
import dev.limp.Tier;
import dev.limp.Overrides;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The operator switch behind every front end (code, JMX, Actuator): checks each command in full first, and
 * only then changes the {@link OverrideBook} through the {@link Governor}; logs who, why, and the state before
 * and after; reports each change as an event. Every rule about a command lives here once: a known feature,
 * the top tier only through {@link #shedTopTier}, a positive duration of at most the instance's maximum, a
 * reason. Thread-safe.
 */
final class OperatorSwitch implements Overrides {
  private final FeatureTable features;
  private final Governor governor;
  private final ChangeReporter reporter;
  private final Duration maxOverrideDuration;

  OperatorSwitch(FeatureTable features, Governor governor, ChangeReporter reporter, Duration maxOverrideDuration) {
    this.features = features;
    this.governor = governor;
    this.reporter = reporter;
    this.maxOverrideDuration = maxOverrideDuration;
  }

  @Override
  public OperatorOverride forceLevel(Level target, Duration duration, String reason, String actor) {
    Objects.requireNonNull(target, "level");
    return apply(OperatorOverride.Kind.FORCE_LEVEL, target.name(), duration, reason, actor);
  }

  @Override
  public OperatorOverride shed(String feature, Duration duration, String reason, String actor) {
    FeatureRuntime f = known(feature);
    if (f.tier().isTop()) {
      throw new IllegalArgumentException("feature '" + feature + "' is " + f.tier() + ", the top tier, which "
          + "shed never sheds; if the critical path itself is what hurts the database, use the explicit "
          + "top-tier operation (shedTopTier in code, shedTopTierFeature over JMX, shed-top-tier in Actuator)");
    }
    return apply(OperatorOverride.Kind.SHED_FEATURE, feature, duration, reason, actor);
  }

  @Override
  public OperatorOverride shedTopTier(String feature, Duration duration, String reason, String actor) {
    FeatureRuntime f = known(feature);
    if (!f.tier().isTop()) {
      throw new IllegalArgumentException("feature '" + feature + "' is " + f.tier() + ", not the top tier ("
          + Tier.CRITICAL_PLUS + "); use shed (shedFeature over JMX, shed in Actuator)");
    }
    return apply(OperatorOverride.Kind.SHED_FEATURE, feature, duration, reason, actor);
  }

  @Override
  public OperatorOverride pin(String feature, Duration duration, String reason, String actor) {
    known(feature);
    return apply(OperatorOverride.Kind.PIN_FEATURE, feature, duration, reason, actor);
  }

  @Override
  public boolean releaseLevel(String actor) {
    return release(actor, (book, now, wall) -> book.removeForcedLevel(), "the forced level", null);
  }

  @Override
  public boolean releaseFeature(String feature, String actor) {
    FeatureRuntime f = known(feature);
    return release(actor, (book, now, wall) -> book.removeFeature(feature), "the override of '" + feature + "'",
        f);
  }

  @Override
  public int releaseAll(String actor) {
    String who = actor(actor);
    Governor.Amended<List<OperatorOverride>> a = governor.amend((book, now, wall) -> book.removeAll());
    if (a.result().isEmpty()) {
      return 0;
    }
    reporter.audit(who, "released all " + a.result().size() + " overrides", null, a.result(), "level",
        a.levelBefore(), a.levelAfter());
    reporter.overridesChanged(a.result(), OverrideChangedEvent.Action.RELEASED, who, a.wall());
    return a.result().size();
  }

  @Override
  public List<OperatorOverride> active() {
    return governor.overrides();
  }

  /** Removes one override; logs the level, or the feature's state, before and after. */
  private boolean release(String actor, Governor.Change<OperatorOverride> removal, String what,
      FeatureRuntime f) {
    String who = actor(actor);
    Object before = f == null ? null : f.state();
    Governor.Amended<OperatorOverride> a = governor.amend(removal);
    if (a.result() == null) {
      return false;
    }
    reporter.audit(who, "released " + what, null, a.result(), f == null ? "level" : "feature",
        f == null ? a.levelBefore() : before, f == null ? a.levelAfter() : f.state());
    reporter.overridesChanged(List.of(a.result()), OverrideChangedEvent.Action.RELEASED, who, a.wall());
    return true;
  }

  private OperatorOverride apply(OperatorOverride.Kind kind, String target, Duration duration, String reason,
      String actor) {
    Checks.positiveAtMost("duration", duration, "maxOverrideDuration", maxOverrideDuration);
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason must say why (it is logged and shown to other operators), "
          + "but was " + (reason == null ? "missing" : "blank"));
    }
    String who = actor(actor);
    FeatureRuntime f = kind == OperatorOverride.Kind.FORCE_LEVEL ? null : features.require(target);
    Object stateBefore = f == null ? null : f.state();
    Governor.Amended<Applied> a = governor.amend((book, now, wall) -> {
      OperatorOverride made = new OperatorOverride(kind, target, Checks.printable(reason.strip()), who, wall,
          wall.plus(duration));
      return new Applied(made, book.put(new OverrideBook.Entry(made, now + duration.toNanos())));
    });
    OperatorOverride override = a.result().override();
    if (f == null) {
      reporter.audit(who, "forced level " + target, duration, override.reason(), "level", a.levelBefore(),
          a.levelAfter());
    } else {
      reporter.audit(who, (kind == OperatorOverride.Kind.PIN_FEATURE ? "pinned" : "shed") + " feature '" + target
          + "'", duration, override.reason(), "feature", stateBefore, f.state());
    }
    if (a.result().replaced() != null) {
      reporter.overridesChanged(List.of(a.result().replaced()), OverrideChangedEvent.Action.REPLACED, who, a.wall());
    }
    reporter.overridesChanged(List.of(override), OverrideChangedEvent.Action.APPLIED, who, a.wall());
    return override;
  }

  /** An override just made, and the one it replaced ({@code null} if none). */
  private record Applied(OperatorOverride override, OperatorOverride replaced) {
  }

  private FeatureRuntime known(String feature) {
    return features.require(Objects.requireNonNull(feature, "feature"));
  }

  /** Who asked, printable: a principal or a name a client gave can never start a log line of its own. */
  private static String actor(String actor) {
    return actor == null || actor.isBlank() ? "unknown" : Checks.printable(actor.strip());
  }
}
