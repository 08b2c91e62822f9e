package dev.limp.jmx;

import dev.limp.CallOutcome;
import dev.limp.FeatureGuard;
import dev.limp.FeatureStatus;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpStatus;
import dev.limp.OperatorOverride;
import dev.limp.Tier;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.Subject;

/**
 * Turns JMX calls into {@link dev.limp.Overrides} calls: converts primitives to typed values, names the
 * caller by its JMX principal, and lets {@link IllegalArgumentException}s from validation reach the client
 * (a JDK type, so any client can show it). Thread-safe.
 *
 * <p>The operator switch owns the rules (known feature, tier, duration range, reason). The adapter checks
 * only what the switch cannot word for a JMX client: a missing feature name (a JMX client sends
 * {@code null} for an empty field) and a non-positive {@code durationSeconds} (named as the client typed it,
 * before it becomes a {@link Duration}).
 */
final class LimpMXBeanAdapter implements LimpMXBean {
  private static final MethodHandle CURRENT_SUBJECT = currentSubjectHandle();

  private final Limp limp;

  LimpMXBeanAdapter(Limp limp) {
    this.limp = limp;
  }

  @Override
  public String getLevel() {
    return limp.level().name();
  }

  @Override
  public String getGovernorLevel() {
    return limp.status().governorLevel().name();
  }

  @Override
  public String getLevelReason() {
    return limp.status().levelReason();
  }

  @Override
  public boolean isAutomatic() {
    return limp.status().isAutomatic();
  }

  @Override
  public boolean isShadowMode() {
    return limp.isShadowMode();
  }

  @Override
  public List<FeatureView> getFeatures() {
    return limp.status().features().stream().map(LimpMXBeanAdapter::view).collect(Collectors.toList());
  }

  private static FeatureView view(FeatureStatus f) {
    return new FeatureView(f.name(), f.tier().name(), f.state().name(), f.admittedFraction(),
        f.reason() == null ? "" : f.reason().detail(), f.wouldShed(), f.pinned(),
        f.circuitBreakerState() == null ? "" : f.circuitBreakerState(), f.calls().get(CallOutcome.PERMITTED),
        f.calls().get(CallOutcome.FAILED), f.calls().get(CallOutcome.SHED), f.calls().get(CallOutcome.REJECTED),
        f.deferredQueued(), f.trialCalls(), f.healthyTrialCalls(), f.unhealthyTrialCalls());
  }

  @Override
  public Map<String, Double> getSignals() {
    Map<String, Double> signals = new LinkedHashMap<>();
    limp.status().signals().readings().forEach((signal, value) -> signals.put(signal.name(), value));
    return signals;
  }

  @Override
  public List<String> getOverrides() {
    return limp.overrides().active().stream().map(OperatorOverride::toString).collect(Collectors.toList());
  }

  @Override
  public String forceLevel(String level, long durationSeconds, String reason) {
    Level parsed = Level.parse(level);
    Level before = limp.level();
    OperatorOverride o = limp.overrides().forceLevel(parsed, seconds(durationSeconds), reason, principal());
    return "level forced to " + parsed + " until " + o.expiresAt() + " (was " + before + ", now "
        + limp.level() + ")";
  }

  @Override
  public String shedFeature(String feature, long durationSeconds, String reason) {
    tier(feature);
    OperatorOverride o = limp.overrides().shed(feature, seconds(durationSeconds), reason, principal());
    return "feature '" + feature + "' shed until " + o.expiresAt() + " (now " + state(feature) + ")";
  }

  @Override
  public String shedTopTierFeature(String feature, long durationSeconds, String reason) {
    tier(feature);
    OperatorOverride o = limp.overrides().shedTopTier(feature, seconds(durationSeconds), reason, principal());
    return "top-tier feature '" + feature + "' shed until " + o.expiresAt() + " (now " + state(feature) + ")";
  }

  @Override
  public String pinFeature(String feature, long durationSeconds, String reason) {
    tier(feature);
    OperatorOverride o = limp.overrides().pin(feature, seconds(durationSeconds), reason, principal());
    return "feature '" + feature + "' pinned on until " + o.expiresAt() + " (now " + state(feature) + ")";
  }

  @Override
  public String releaseLevel() {
    return limp.overrides().releaseLevel(principal())
        ? "forced level released; level now " + limp.level()
        : "no level was forced; nothing changed";
  }

  @Override
  public String releaseFeature(String feature) {
    named(feature);
    return limp.overrides().releaseFeature(feature, principal())
        ? "override of '" + feature + "' released; feature now " + state(feature)
        : "feature '" + feature + "' had no override; nothing changed";
  }

  @Override
  public String releaseAll() {
    int n = limp.overrides().releaseAll(principal());
    return n == 0 ? "no overrides were in force; nothing changed"
        : n + " override(s) released; level now " + limp.level();
  }

  /**
   * The tier of a declared feature; an unknown one is refused by the engine. Looked up before the duration
   * is checked, so that a request with an unknown feature and a bad duration is refused for the feature.
   */
  private Tier tier(String feature) {
    named(feature);
    return limp.guard(feature).tier();
  }

  /**
   * A JMX client sends {@code null} for an empty field, so a missing name is refused like an unknown one
   * (an {@link IllegalArgumentException} naming the declared features), not with the switch's bare
   * {@link NullPointerException}.
   */
  private void named(String feature) {
    if (feature == null) {
      throw new IllegalArgumentException("feature must name a declared feature, but was missing; declared "
          + "features are " + limp.guards().stream().map(FeatureGuard::name).collect(Collectors.toList()));
    }
  }

  private String state(String feature) {
    return limp.guard(feature).state().name();
  }

  /**
   * The JMX boundary's conversion of {@code durationSeconds}. A non-positive value is refused here, naming
   * the parameter and the value the client sent (the switch would name {@code duration} and quote a
   * {@link Duration}); the maximum is the switch's rule alone.
   */
  private static Duration seconds(long durationSeconds) {
    if (durationSeconds <= 0) {
      throw new IllegalArgumentException("durationSeconds must be positive, but was " + durationSeconds);
    }
    return Duration.ofSeconds(durationSeconds);
  }

  /** The JMX principal(s) of the calling client, or "jmx" for a local, unauthenticated call. */
  static String principal() {
    Subject subject = currentSubject();
    if (subject == null) {
      return "jmx";
    }
    Set<Principal> principals = subject.getPrincipals();
    return principals.isEmpty() ? "jmx"
        : "jmx:" + principals.stream().map(Principal::getName).sorted().collect(Collectors.joining(","));
  }

  private static Subject currentSubject() {
    if (CURRENT_SUBJECT == null) {
      return null;
    }
    try {
      return (Subject) CURRENT_SUBJECT.invoke();
    } catch (Throwable e) { // an audit detail must not fail the operator's command
      return null;
    }
  }

  /**
   * {@code Subject.current()} where it exists (JDK 18+, the one that works on JDK 23+), otherwise
   * {@code Subject.getSubject(AccessController.getContext())}; looked up reflectively so that neither
   * deprecated API is compiled against. Never throws: this runs in the static initializer, and a failure
   * there would make the whole MXBean unusable, so without a lookup every caller is just "jmx".
   */
  private static MethodHandle currentSubjectHandle() {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    try {
      return lookup.findStatic(Subject.class, "current", MethodType.methodType(Subject.class));
    } catch (ReflectiveOperationException | RuntimeException notOnThisJdk) {
      try {
        Class<?> accessController = Class.forName("java.security.AccessController");
        Class<?> context = Class.forName("java.security.AccessControlContext");
        MethodHandle getContext = lookup.findStatic(accessController, "getContext", MethodType.methodType(context));
        MethodHandle getSubject = lookup.findStatic(Subject.class, "getSubject",
            MethodType.methodType(Subject.class, context));
        // getContext takes no argument, so it is collected into getSubject's argument (filterArguments
        // needs a one-argument filter and throws IllegalArgumentException here)
        return MethodHandles.collectArguments(getSubject, 0, getContext);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
