package dev.limp.redis.internal;

import dev.limp.FeatureGuard;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.OperatorOverride;
import dev.limp.Overrides;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator switch of a fleet member, what {@link Limp#overrides()} returns: stores each command for the
 * whole fleet first, then applies it to this instance through its own switch, with the time left until the
 * fleet's expiry. A command the instance's rules refuse (unknown feature, top tier through {@code shed}, no
 * reason, …) is refused before Redis sees it, with the engine's own message; one Redis does not take is
 * refused with a {@link dev.limp.redis.FleetUnavailableException} and changes nothing. Thread-safe.
 */
public final class FleetFront implements Overrides {
  private final Overrides own;
  private volatile Member member;

  /** What the front needs once the instance has joined. */
  record Member(String instance, Limp limp, FleetStore store, OverrideMirror mirror, FleetTime time) {
  }

  public FleetFront(Overrides own) {
    this.own = Objects.requireNonNull(own, "own");
  }

  /** The instance's own switch: changes this instance only. */
  public Overrides own() {
    return own;
  }

  void join(Member member) {
    this.member = member;
  }

  private Member member() {
    Member m = member;
    if (m == null) {
      throw new IllegalStateException("this instance has not joined its fleet yet (LimpFleet.join), so an "
          + "override cannot reach the fleet; nothing changed");
    }
    return m;
  }

  @Override
  public OperatorOverride forceLevel(Level level, Duration duration, String reason, String actor) {
    if (level == null || !valid(duration, reason)) {
      return own.forceLevel(level, duration, reason, actor); // refuses, with the engine's message
    }
    return apply(FleetMessage.Op.FORCE_LEVEL, level.name(), duration, reason, actor);
  }

  @Override
  public OperatorOverride shed(String feature, Duration duration, String reason, String actor) {
    Optional<FeatureGuard> g = guard(feature);
    if (g.isEmpty() || g.get().tier().isTop() || !valid(duration, reason)) {
      return own.shed(feature, duration, reason, actor);
    }
    return apply(FleetMessage.Op.SHED, feature, duration, reason, actor);
  }

  @Override
  public OperatorOverride shedTopTier(String feature, Duration duration, String reason, String actor) {
    Optional<FeatureGuard> g = guard(feature);
    if (g.isEmpty() || !g.get().tier().isTop() || !valid(duration, reason)) {
      return own.shedTopTier(feature, duration, reason, actor);
    }
    return apply(FleetMessage.Op.SHED_TOP_TIER, feature, duration, reason, actor);
  }

  @Override
  public OperatorOverride pin(String feature, Duration duration, String reason, String actor) {
    if (guard(feature).isEmpty() || !valid(duration, reason)) {
      return own.pin(feature, duration, reason, actor);
    }
    return apply(FleetMessage.Op.PIN, feature, duration, reason, actor);
  }

  @Override
  public boolean releaseLevel(String actor) {
    return release(FleetMessage.LEVEL_FIELD, actor) > 0;
  }

  @Override
  public boolean releaseFeature(String feature, String actor) {
    if (guard(feature).isEmpty()) {
      return own.releaseFeature(feature, actor); // refuses an unknown feature
    }
    return release(FleetMessage.field(FleetMessage.Op.SHED, feature), actor) > 0;
  }

  @Override
  public int releaseAll(String actor) {
    return (int) Math.min(Integer.MAX_VALUE, release(FleetMessage.ALL, actor));
  }

  @Override
  public List<OperatorOverride> active() {
    return own.active();
  }

  private Optional<FeatureGuard> guard(String feature) {
    Member m = member();
    return feature == null ? Optional.empty() : m.limp().findGuard(feature);
  }

  /** The checks that need no engine: whatever fails them goes to the own switch, which refuses it. */
  private static boolean valid(Duration duration, String reason) {
    return duration != null && !duration.isNegative() && !duration.isZero() && duration.toMillis() > 0
        && reason != null && !reason.isBlank();
  }

  private OperatorOverride apply(FleetMessage.Op op, String target, Duration duration, String reason,
      String actor) {
    Member m = member();
    String who = actor == null || actor.isBlank() ? "unknown" : actor.strip();
    m.mirror().lock().lock();
    try {
      FleetMessage stored = m.store().apply(op, target, duration.toMillis(), reason.strip(), who, m.instance());
      long remaining = Math.max(1, stored.expiresAtMs() - m.time().nowMillis());
      Duration d = Duration.ofMillis(Math.min(remaining, duration.toMillis()));
      OperatorOverride made;
      try {
        made = switch (op) {
          case FORCE_LEVEL -> own.forceLevel(Level.parse(target), d, reason, who);
          case SHED -> own.shed(target, d, reason, who);
          case SHED_TOP_TIER -> own.shedTopTier(target, d, reason, who);
          case PIN -> own.pin(target, d, reason, who);
        };
      } catch (RuntimeException refused) {
        // a rule only the engine knows (the longest override, say): take it back from the fleet
        try {
          m.store().release(stored.field(), who, m.instance(), stored.raw());
        } catch (RuntimeException e) {
          refused.addSuppressed(e);
        }
        throw refused;
      }
      m.mirror().issued(stored);
      return made;
    } finally {
      m.mirror().lock().unlock();
    }
  }

  private long release(String field, String actor) {
    Member m = member();
    String who = actor == null || actor.isBlank() ? "unknown" : actor.strip();
    m.mirror().lock().lock();
    try {
      long inFleet = m.store().release(field, who, m.instance(), null);
      long here;
      if (FleetMessage.ALL.equals(field)) {
        here = own.releaseAll(who);
      } else if (FleetMessage.LEVEL_FIELD.equals(field)) {
        here = own.releaseLevel(who) ? 1 : 0;
      } else {
        here = own.releaseFeature(FleetMessage.featureOf(field), who) ? 1 : 0;
      }
      m.mirror().released(field);
      return Math.max(inFleet, here);
    } finally {
      m.mirror().lock().unlock();
    }
  }
}
