package dev.limp.db;

import dev.limp.Limp;
import dev.limp.Signal;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one signal source of every {@link DatabaseMonitor} on a limp instance: it samples each monitor and
 * reports, for each signal, the worst reading among them (every database signal reads higher as worse), and
 * every culprit any of them names. So two data sources on one limp (a primary and a replica) never mask each
 * other: the governor sees the one in trouble. A monitor that throws is logged (at most once a minute) and
 * left out for that tick; the others report.
 *
 * <p>The groups are kept per limp instance in a static map because the {@link Limp} interface offers no place
 * for a module to keep its state. The map holds its keys and its groups weakly: a group is held strongly only
 * by its limp instance, as a signal source (and holds its monitors, as the instance held each monitor
 * before), so an instance dropped without closing its monitors is still collected with them. Thread-safe.
 */
final class MonitorGroup implements SignalSource {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);
  private static final long WARN_EVERY = TimeUnit.MINUTES.toNanos(1);
  private static final Map<Limp, WeakReference<MonitorGroup>> GROUPS = new WeakHashMap<>(); // guarded by itself

  private final String limpName;
  private final List<DatabaseMonitor> monitors = new CopyOnWriteArrayList<>();
  private volatile long lastWarning = Long.MIN_VALUE;

  private MonitorGroup(String limpName) {
    this.limpName = limpName;
  }

  /** Adds a monitor to its limp instance's group, registering the group as a signal source with the first. */
  static void join(Limp limp, DatabaseMonitor monitor) {
    synchronized (GROUPS) {
      MonitorGroup group = groupOf(limp);
      if (group == null) {
        group = new MonitorGroup(limp.name());
        GROUPS.put(limp, new WeakReference<>(group));
        limp.addSignalSource(group);
      }
      group.monitors.add(monitor);
    }
  }

  /** Removes a monitor; the last one out removes the group from the limp instance's signal sources. */
  static void leave(Limp limp, DatabaseMonitor monitor) {
    synchronized (GROUPS) {
      MonitorGroup group = groupOf(limp);
      if (group == null) {
        return;
      }
      group.monitors.remove(monitor);
      if (group.monitors.isEmpty()) {
        GROUPS.remove(limp);
        limp.removeSignalSource(group);
      }
    }
  }

  private static MonitorGroup groupOf(Limp limp) {
    WeakReference<MonitorGroup> ref = GROUPS.get(limp);
    return ref == null ? null : ref.get();
  }

  @Override
  public void sample(Sink sink) {
    Map<Signal, Double> worst = new LinkedHashMap<>();
    Map<String, String> suspects = new LinkedHashMap<>();
    for (DatabaseMonitor monitor : monitors) {
      Map<Signal, Double> own = new LinkedHashMap<>();
      Map<String, String> named = new LinkedHashMap<>();
      try {
        monitor.sample(new Sink() {
          @Override
          public void put(Signal signal, double value) {
            own.put(signal, value);
          }

          @Override
          public void suspect(String feature, String reason) {
            named.put(feature, reason);
          }
        });
      } catch (RuntimeException e) {
        warn(monitor, e); // like any source that throws: none of its readings this tick
        continue;
      }
      monitor.latest(SignalSnapshot.of(own, named));
      own.forEach((signal, value) -> {
        if (!Double.isNaN(value)) {
          worst.merge(signal, value, Math::max);
        }
      });
      named.forEach(suspects::putIfAbsent);
    }
    worst.forEach(sink::put);
    suspects.forEach(sink::suspect);
  }

  private void warn(DatabaseMonitor monitor, RuntimeException e) {
    long now = monitor.recorder().now();
    long last = lastWarning;
    if (last == Long.MIN_VALUE || now - last > WARN_EVERY) {
      lastWarning = now;
      LOG.warn("limp[{}]: database monitor {} failed; its signals are missing this tick (logged at most once "
          + "a minute)", limpName, monitor, e);
    }
  }

  @Override
  public String toString() {
    return "DatabaseMonitors[" + limpName + ", " + monitors.size() + "]";
  }
}
