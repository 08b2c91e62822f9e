package dev.limp.redis.internal;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Overrides;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's overrides equal to the fleet's: applies each change announced on the channel, and at
 * every re-sync compares the whole set with the fleet's (what a lost message or an outage left out). Changes
 * go to the instance's own switch with the time left until the fleet's expiry, the original reason, and the
 * actor {@code fleet:<origin>/<actor>}; the engine then checks them as any command (so nothing read from
 * Redis creates a feature) and expires them itself. When Redis lost its data (the epoch changed), puts back
 * the overrides this instance still holds.
 *
 * <p>Thread-safe: every change, and every command this instance issues ({@link FleetFront}), runs under
 * {@link #lock()}, so they reach the instance in the order Redis stored them.
 */
public final class OverrideMirror {
  private static final Logger LOG = LoggerFactory.getLogger(OverrideMirror.class);
  /** At most this many distinct bad entries are remembered, so that each is logged once, not at every re-sync. */
  private static final int REPORTED_MAX = 1_000;

  private final String instance;
  private final Limp limp;
  private final Overrides own;
  private final FleetStore store;
  private final FleetTime time;
  private final ReentrantLock lock;
  /** Field → the fleet message this instance last acted on for it. Guarded by {@link #lock}. */
  private final Map<String, FleetMessage> applied = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private String epoch;
  private long watermark = -1;

  public OverrideMirror(String instance, Limp limp, Overrides own, FleetStore store, FleetTime time,
      ReentrantLock lock) {
    this.instance = instance;
    this.limp = limp;
    this.own = own;
    this.store = store;
    this.time = time;
    this.lock = lock;
  }

  public ReentrantLock lock() {
    return lock;
  }

  /** Records a change this instance issued and applied itself. Call under {@link #lock()}. */
  void issued(FleetMessage m) {
    applied.put(m.field(), m);
  }

  /** Records a release this instance issued and applied itself. Call under {@link #lock()}. */
  void released(String field) {
    if (FleetMessage.ALL.equals(field)) {
      applied.clear();
    } else {
      applied.remove(field);
    }
  }

  /** One message from the changes channel: a malformed or foreign one is logged and ignored. */
  public void onMessage(String raw) {
    FleetMessage m;
    try {
      m = FleetMessage.parse(raw);
    } catch (IllegalArgumentException e) {
      reportOnce("message on " + store.keys().changes(), raw, e.getMessage());
      return;
    }
    lock.lock();
    try {
      if (m.seq() <= watermark) {
        return; // the latest re-sync already saw it
      }
      if (m.verb() == FleetMessage.Verb.APPLY) {
        applyIfNew(m);
      } else {
        releaseHere(m.field(), fleetActor(m));
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Compares this instance's overrides with the fleet's and brings them in line; when Redis lost its data,
   * first puts back what this instance still holds.
   *
   * @throws dev.limp.redis.FleetUnavailableException if Redis does not answer (nothing changed here)
   */
  public void resync() {
    lock.lock();
    try {
      FleetStore.Snapshot s = store.snapshot(UUID.randomUUID().toString());
      if (epoch != null && !epoch.equals(s.epoch())) {
        Map<FleetMessage, Long> held = new LinkedHashMap<>();
        long now = time.nowMillis();
        applied.values().forEach(m -> {
          if (m.expiresAtMs() > now) {
            held.put(m, m.expiresAtMs() - now);
          }
        });
        long n = store.restore(held);
        LOG.warn("limp-fleet[{}]: Redis lost the fleet's data (a restart without persistence?); put back {} of "
            + "the {} overrides this instance holds", instance, n, held.size());
        s = store.snapshot(UUID.randomUUID().toString());
      }
      epoch = s.epoch();
      reconcile(s);
      watermark = s.seq();
    } finally {
      lock.unlock();
    }
  }

  private void reconcile(FleetStore.Snapshot s) {
    Map<String, FleetMessage> live = new HashMap<>();
    s.overrides().forEach((field, raw) -> {
      FleetMessage m;
      try {
        m = FleetMessage.parse(raw);
      } catch (IllegalArgumentException e) {
        reportOnce("entry '" + field + "' of " + store.keys().overrides(), raw, e.getMessage());
        return;
      }
      if (m.verb() != FleetMessage.Verb.APPLY || !m.field().equals(field)) {
        reportOnce("entry '" + field + "' of " + store.keys().overrides(), raw, "it is not an override of '"
            + field + "'");
        return;
      }
      if (m.expiresAtMs() > s.nowMillis()) {
        live.put(field, m);
      }
    });
    for (FleetMessage m : live.values()) {
      applyIfNew(m);
    }
    for (String field : new ArrayList<>(applied.keySet())) {
      if (!live.containsKey(field)) {
        FleetMessage gone = applied.get(field);
        if (gone.expiresAtMs() <= s.nowMillis()) {
          applied.remove(field); // expired: the engine ends it on its own clock
        } else {
          releaseHere(field, "fleet:resync");
        }
      }
    }
  }

  private void applyIfNew(FleetMessage m) {
    FleetMessage before = applied.get(m.field());
    if (before != null && before.raw().equals(m.raw())) {
      return;
    }
    applied.put(m.field(), m);
    long remaining = m.expiresAtMs() - time.nowMillis();
    if (remaining <= 0) {
      return;
    }
    Duration d = Duration.ofMillis(remaining);
    String actor = fleetActor(m);
    if (m.op() != FleetMessage.Op.FORCE_LEVEL && limp.findGuard(m.target()).isEmpty()) {
      LOG.warn("limp-fleet[{}]: fleet override {} {} by {} ignored here: this instance has no feature '{}' "
          + "(nothing read from Redis creates a feature)", instance, m.op(), m.target(), actor, m.target());
      return;
    }
    try {
      switch (m.op()) {
        case FORCE_LEVEL -> own.forceLevel(Level.parse(m.target()), d, m.reason(), actor);
        case SHED -> own.shed(m.target(), d, m.reason(), actor);
        case SHED_TOP_TIER -> own.shedTopTier(m.target(), d, m.reason(), actor);
        case PIN -> own.pin(m.target(), d, m.reason(), actor);
        default -> throw new IllegalStateException("unknown op " + m.op());
      }
    } catch (RuntimeException e) {
      LOG.warn("limp-fleet[{}]: fleet override {} {} by {} refused here: {}", instance, m.op(), m.target(), actor,
          e.getMessage());
    }
  }

  private void releaseHere(String field, String actor) {
    try {
      if (FleetMessage.ALL.equals(field)) {
        applied.clear();
        own.releaseAll(actor);
      } else if (FleetMessage.LEVEL_FIELD.equals(field)) {
        applied.remove(field);
        own.releaseLevel(actor);
      } else {
        applied.remove(field);
        String feature = FleetMessage.featureOf(field);
        if (feature != null && limp.findGuard(feature).isPresent()) {
          own.releaseFeature(feature, actor);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("limp-fleet[{}]: fleet release of {} by {} failed here: {}", instance, field, actor,
          e.getMessage());
    }
  }

  /** The actor as this instance records it: the command's own for its issuer, marked as the fleet's elsewhere. */
  private String fleetActor(FleetMessage m) {
    return m.origin().equals(instance) ? m.actor() : "fleet:" + m.origin() + "/" + m.actor();
  }

  private void reportOnce(String where, String raw, String why) {
    synchronized (reported) {
      if (reported.size() >= REPORTED_MAX) {
        reported.clear();
      }
      if (!reported.add(where + "\u0000" + raw)) {
        return;
      }
    }
    String shown = raw.length() > 200 ? raw.substring(0, 200) + "…" : raw;
    LOG.warn("limp-fleet[{}]: ignored a malformed or foreign {}: {} ({})", instance, where,
        dev.limp.internal.Checks.printable(shown), why);
  }
}
