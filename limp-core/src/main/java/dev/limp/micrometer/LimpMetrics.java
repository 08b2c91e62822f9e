package dev.limp.micrometer;

import dev.limp.CallOutcome;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.LimpListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link Limp} instance's level, features, calls and signals to a Micrometer {@link MeterRegistry}.
 * Micrometer is an optional dependency of limp: only this package uses it, and nothing in limp loads it
 * unless the application calls this class.
 *
 * <pre>{@code
 * LimpMetrics.of(limp).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>The meters, with their {@linkplain LimpMetricNames default names} (every meter is tagged
 * {@code instance} with the limp instance's name; per-feature meters also {@code feature} and {@code tier}):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>value</th></tr>
 *   <tr><td>{@code limp.level}</td><td>gauge</td><td></td><td>effective level: 0 {@code NORMAL} … 3
 *       {@code SHED_CRITICAL}</td></tr>
 *   <tr><td>{@code limp.level.overridden}</td><td>gauge</td><td></td><td>1 while an operator forces the
 *       level</td></tr>
 *   <tr><td>{@code limp.level.transitions}</td><td>counter</td><td>{@code direction}
 *       ({@code escalation}|{@code recovery})</td><td>changes of the effective level</td></tr>
 *   <tr><td>{@code limp.feature.state}</td><td>gauge</td><td></td><td>0 active, 1 ramping, 2 shed, 3 throttled</td></tr>
 *   <tr><td>{@code limp.feature.admitted}</td><td>gauge</td><td></td><td>fraction of calls admitted,
 *       0 to 1</td></tr>
 *   <tr><td>{@code limp.feature.would.shed}</td><td>gauge</td><td></td><td>1 when shadow mode would shed
 *       the feature</td></tr>
 *   <tr><td>{@code limp.feature.transitions}</td><td>counter</td><td>{@code to}
 *       ({@code shed}|{@code ramping}|{@code active})</td><td>changes of the feature's state (shadow-mode
 *       "would" changes are not counted: nothing changed for callers)</td></tr>
 *   <tr><td>{@code limp.calls}</td><td>function counter</td><td>{@code outcome} ({@code permitted},
 *       {@code failed}, {@code shed}, {@code rejected})</td><td>guarded calls</td></tr>
 *   <tr><td>{@code limp.calls.shed}</td><td>function counter</td><td>{@code handling} ({@code fallback},
 *       {@code stale}, {@code default}, {@code deferred}, {@code dropped}, {@code thrown})</td><td>how
 *       shed or rejected calls were answered</td></tr>
 *   <tr><td>{@code limp.calls.trial}</td><td>function counter</td><td>{@code outcome} ({@code healthy},
 *       {@code unhealthy})</td><td>trial calls a shed feature let through (one per tick at most), counted as
 *       each ends: healthy when it returned without error within the policy's {@code healthyCallLatency}.
 *       They are in {@code limp.calls} too</td></tr>
 *   <tr><td>{@code limp.deferred.queued}</td><td>gauge</td><td></td><td>deferred work waiting for
 *       replay</td></tr>
 *   <tr><td>{@code limp.signal}</td><td>gauge</td><td>{@code signal} (no {@code feature}/{@code tier})</td>
 *       <td>the latest reading; {@code NaN} while there is none</td></tr>
 *   <tr><td>{@code limp.signal.<signal>}</td><td>gauge</td><td>(no {@code feature}/{@code tier})</td>
 *       <td>only with {@link LimpMetricNames#gaugePerSignal()}: the same reading under a name of its own ({@code limp.signal.db.query.p99}), so that a view
 *       without tags, such as Actuator's {@code /actuator/metrics/<name>}, shows one signal's reading
 *       instead of a sum over signals of different units</td></tr>
 * </table>
 *
 * <p><b>Reading.</b> Gauges and function counters read the engine when the registry polls them: the level,
 * each guard's volatile state and striped counters ({@link FeatureGuard#count(CallOutcome)} and its
 * siblings), and the latest signal snapshot ({@link Limp#signals()}); no poll builds a
 * {@link Limp#status()}. Per poll, only the level gauge allocates (one copy of the guard list, to notice
 * new features) and only the forced-level gauge takes the governor's lock (briefly, to list the overrides
 * in force). Transition counters are incremented by a {@link LimpListener} this binder adds to the
 * instance, so they move on limp's event thread, shortly after the change.
 *
 * <p><b>Features and signals that appear later.</b> Features {@linkplain Limp#declare declared} after
 * binding, and signals a source first reports after binding, get their meters when the binder next
 * notices them: at every event limp sends to listeners, and at every poll of the {@code limp.level} gauge
 * (that is, every scrape or publication). So a new feature or signal shows up at the latest one scrape
 * after it appeared. A signal that stops being reported keeps its gauge, which reads {@code NaN}.
 *
 * <p><b>References.</b> Gauges and function counters hold their state objects (the instance, its guards,
 * and the binding's own bookkeeping) weakly, as Micrometer does by default, and their functions capture no
 * limp object; so a registry that outlives a closed and forgotten instance does not keep it alive. Its
 * meters stay registered and read {@code NaN} once it is collected. This binder itself holds the instance.
 *
 * <p>Bind each instance once per registry: a second {@code bindTo} of this binder to the same registry is
 * ignored, but two binders of the same instance bound to one registry would count transitions twice.
 *
 * <p>Thread-safe: {@code bindTo} may be called from any thread, meters are polled from any thread, and
 * late registration may happen concurrently from the event thread and a polling thread; each meter is
 * registered once.
 */
public final class LimpMetrics implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(LimpMetrics.class);

  private final Limp limp;
  private final LimpMetricNames names;
  /** The registries this binder is bound to, by identity, held weakly. Guarded by itself. */
  private final Set<MeterRegistry> bound = Collections.newSetFromMap(new WeakHashMap<>());

  private LimpMetrics(Limp limp, LimpMetricNames names) {
    this.limp = Objects.requireNonNull(limp, "limp");
    this.names = Objects.requireNonNull(names, "names");
  }

  /** A binder of the instance's meters under the {@linkplain LimpMetricNames#ofDefaults() default names}. */
  public static LimpMetrics of(Limp limp) {
    return new LimpMetrics(limp, LimpMetricNames.ofDefaults());
  }

  /** A binder of the instance's meters under the given names. */
  public static LimpMetrics of(Limp limp, LimpMetricNames names) {
    return new LimpMetrics(limp, names);
  }

  /** The names this binder registers meters under. */
  public LimpMetricNames names() {
    return names;
  }

  /**
   * Registers the meters of the instance, its features and the signals seen so far, and adds the listener
   * that counts transitions and picks up later features and signals. A second call with the same registry
   * does nothing.
   *
   * @throws RuntimeException whatever the registry throws when a meter cannot be registered (a meter of
   *     another type already holds one of the names, say)
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (bound) {
      if (!bound.add(registry)) {
        LOG.debug("limp[{}]: already bound to {}; ignored", limp.name(), registry);
        return;
      }
    }
    try {
      new MetricsBinding(limp, names, registry).start();
    } catch (RuntimeException | Error e) {
      synchronized (bound) {
        bound.remove(registry);
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "LimpMetrics[" + limp.name() + "]";
  }
}
