package dev.limp.internal;

import static dev.limp.internal.AnnotationMisuse.describe;
import static dev.limp.internal.AnnotationMisuse.misuse;

import dev.limp.FeatureConfig;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features that the annotated methods of one proxy (or one framework-intercepted class) name: collects
 * what their methods ask of each (one tier per name; stale values or a deferral queue where a method wants
 * them), checks that against the features already declared, declares the others, and binds each method to
 * its feature's guard. Nothing is declared unless every method was added and every check passed.
 *
 * <p>Not thread-safe: one is used by one thread, for one {@code create} or {@code resolve}, and dropped.
 */
final class AnnotatedFeatures {
  private final Limp limp;
  private final List<AnnotatedMethodPlan> plans = new ArrayList<>();
  /** By feature name, in the order the methods named them (for repeatable messages and declarations). */
  private final Map<String, Need> needs = new LinkedHashMap<>();

  AnnotatedFeatures(Limp limp) {
    this.limp = limp;
  }

  /** What the methods naming one feature ask of it, collected before it is checked or declared. */
  private static final class Need {
    final String name;
    final Tier tier;
    final Method tierMethod;
    Method staleMethod;
    Method deferMethod;

    Need(String name, Tier tier, Method tierMethod) {
      this.name = name;
      this.tier = tier;
      this.tierMethod = tierMethod;
    }
  }

  /**
   * Adds a checked method, and what it asks of its feature.
   *
   * @throws IllegalArgumentException naming the method if its feature's name is not a valid one
   * @throws IllegalStateException if an earlier method gave the same feature another tier
   */
  void add(AnnotatedMethodPlan plan) {
    plans.add(plan);
    Method m = plan.method();
    LimpFeature a = plan.annotation();
    Need need = needs.get(a.name());
    if (need == null) {
      try {
        FeatureConfig.builder(a.name(), a.tier());
      } catch (IllegalArgumentException e) {
        throw misuse(m, e.getMessage());
      }
      need = new Need(a.name(), a.tier(), m);
      needs.put(a.name(), need);
    } else if (need.tier != a.tier()) {
      throw new IllegalStateException("feature '" + a.name() + "' is given two tiers: " + need.tier + " by "
          + describe(need.tierMethod) + " and " + a.tier() + " by " + describe(m) + "; a feature has one tier");
    }
    if (a.staleValues() && need.staleMethod == null) {
      need.staleMethod = m;
    }
    if (a.defer() && need.deferMethod == null) {
      need.deferMethod = m;
    }
  }

  /**
   * Checks the features against those already declared, declares the others, and returns every added
   * method bound to its feature's guard.
   *
   * @throws IllegalArgumentException naming a method that wants stale values or deferral of a feature
   *     declared without them
   * @throws IllegalStateException if an annotation gives a declared feature another tier than it has
   */
  Map<Method, AnnotatedMethod> declareAndBind() {
    List<FeatureConfig> undeclared = new ArrayList<>();
    for (Need need : needs.values()) {
      FeatureRuntime existing = (FeatureRuntime) limp.findGuard(need.name).orElse(null);
      if (existing == null) {
        undeclared.add(declaration(need));
      } else {
        check(need, existing);
      }
    }
    undeclared.forEach(limp::declare);
    Map<Method, AnnotatedMethod> bound = new HashMap<>();
    for (AnnotatedMethodPlan p : plans) {
      LimpFeature a = p.annotation();
      bound.put(p.method(), AnnotatedMethod.guarded(p.method(), (FeatureRuntime) limp.guard(a.name()),
          a.defer(), a.staleValues(), p.fallback(), p.empty()));
    }
    return bound;
  }

  /** The declaration of a new feature, with stale values and a deferral queue where a method asks. */
  private static FeatureConfig declaration(Need need) {
    FeatureConfig.Builder b = FeatureConfig.builder(need.name, need.tier);
    if (need.staleMethod != null) {
      b.staleValues(Duration.ofSeconds(LimpFeature.DEFAULT_STALE_VALUE_MAX_AGE_SECONDS),
          LimpFeature.DEFAULT_STALE_VALUE_MAX_ENTRIES);
    }
    if (need.deferMethod != null) {
      b.deferWhenShed(LimpFeature.DEFAULT_DEFER_QUEUE_CAPACITY);
    }
    return b.build();
  }

  /** Checks what the methods ask of a feature that is already declared. */
  private static void check(Need need, FeatureRuntime existing) {
    if (existing.tier() != need.tier) {
      throw new IllegalStateException("feature '" + need.name + "' is declared as " + existing.tier()
          + ", but @LimpFeature on " + describe(need.tierMethod) + " gives it " + need.tier
          + "; a feature has one tier");
    }
    if (need.staleMethod != null && existing.config().staleValueMaxAge().isEmpty()) {
      throw misuse(need.staleMethod, "staleValues = true, but feature '" + need.name + "' is declared "
          + "without stale values; declare it with FeatureConfig.Builder.staleValues(maxAge, maxEntries)");
    }
    if (need.deferMethod != null && existing.config().deferQueueCapacity() == 0) {
      throw misuse(need.deferMethod, "defer = true, but feature '" + need.name + "' is declared without a "
          + "deferral queue; declare it with FeatureConfig.Builder.deferWhenShed(capacity)");
    }
  }
}
