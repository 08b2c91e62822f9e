package dev.limp.spring.actuate;

import dev.limp.CallOutcome;
import dev.limp.FeatureStatus;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpStatus;
import dev.limp.OperatorOverride;
import dev.limp.ShedHandling;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code limp} Actuator endpoint. Reads the level, its reason, each feature's state and counters, the
 * signals and the overrides in force. Its write operations (force a level, shed, pin, release) are
 * read-only by default: an operator opts in with {@code management.endpoint.limp.access=unrestricted}, and
 * exposes the endpoint as any other. Writes go through {@link Limp#overrides()}, as JMX's do: the same
 * validation, and the same audit log naming the caller (the request's principal, or {@code "actuator"}).
 * Over HTTP, {@link LimpEndpointWebExtension} serves the reads of one feature, and {@code /actuator/limp/fleet}
 * when the instance belongs to a fleet. Thread-safe.
 */
@Endpoint(id = "limp", defaultAccess = Access.READ_ONLY)
public class LimpEndpoint {
  private final Limp limp;

  public LimpEndpoint(Limp limp) {
    this.limp = limp;
  }

  /** The whole status. */
  @ReadOperation
  public Map<String, Object> status() {
    LimpStatus s = limp.status();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance", s.instance());
    body.put("level", s.level().name());
    body.put("governorLevel", s.governorLevel().name());
    body.put("reason", s.levelReason());
    body.put("since", s.levelSince().toString());
    body.put("automatic", s.isAutomatic());
    body.put("shadowMode", s.shadowMode());
    Map<String, Object> features = new LinkedHashMap<>();
    s.features().forEach(f -> features.put(f.name(), feature(f)));
    body.put("features", features);
    Map<String, Object> signals = new LinkedHashMap<>();
    s.signals().readings().forEach((signal, value) -> signals.put(signal.name(), value));
    body.put("signals", signals);
    if (!s.signals().suspects().isEmpty()) {
      body.put("culprits", s.signals().suspects());
    }
    body.put("overrides", s.overrides().stream().map(LimpEndpoint::override).toList());
    return body;
  }

  /** One feature's status, or {@code null} (404) for an unknown one: reading never creates a feature. */
  @ReadOperation
  public @Nullable Map<String, Object> feature(@Selector String name) {
    return limp.status().feature(name).map(LimpEndpoint::feature).orElse(null);
  }

  /**
   * Forces a level, sheds, sheds a top-tier feature, pins, or releases: {@code action} is one of
   * {@code force-level} (with {@code level}), {@code shed}, {@code shed-top-tier}, {@code pin},
   * {@code release} (with {@code feature}, or neither for the forced level), {@code release-all}. Overrides
   * need {@code durationSeconds} and a {@code reason}.
   *
   * @throws IllegalArgumentException for an unknown action, feature or level, a bad duration or a blank
   *     reason (a 400)
   */
  @WriteOperation
  public Map<String, Object> override(String action, @Nullable String feature, @Nullable String level,
      @Nullable Long durationSeconds, @Nullable String reason, SecurityContext security) {
    String actor = actor(security);
    String act = action == null ? "" : action.trim().toLowerCase(Locale.ROOT);
    Object result;
    try {
      result = apply(act, action, feature, level, durationSeconds, reason, actor);
    } catch (IllegalArgumentException e) { // a refused request changes nothing: a 400 with the reason
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", act);
    body.put("actor", actor);
    body.put("result", result);
    return body;
  }

  /** Who called: {@code actuator:<principal>}, or {@code actuator} when the request has no principal. */
  static String actor(@Nullable SecurityContext security) {
    Principal principal = security == null ? null : security.getPrincipal();
    return principal == null ? "actuator" : "actuator:" + principal.getName();
  }

  private Object apply(String act, String action, @Nullable String feature, @Nullable String level,
      @Nullable Long durationSeconds, @Nullable String reason, String actor) {
    return switch (act) {
      case "force-level" -> override(limp.overrides().forceLevel(Level.parse(level), duration(durationSeconds),
          reason, actor));
      case "shed" -> override(limp.overrides().shed(required(feature), duration(durationSeconds), reason, actor));
      case "shed-top-tier" -> override(limp.overrides().shedTopTier(required(feature), duration(durationSeconds),
          reason, actor));
      case "pin" -> override(limp.overrides().pin(required(feature), duration(durationSeconds), reason, actor));
      case "release" -> feature == null ? limp.overrides().releaseLevel(actor)
          : limp.overrides().releaseFeature(feature, actor);
      case "release-all" -> limp.overrides().releaseAll(actor);
      default -> throw new IllegalArgumentException("action must be one of [force-level, shed, shed-top-tier, "
          + "pin, release, release-all], but was '" + action + "'");
    };
  }

  // Only the presence of a request parameter is checked here; what a value may be (a known feature of the
  // right tier, a positive duration within the maximum, a reason) is the operator switch's rule, and its
  // message reaches the caller.
  private static String required(String feature) {
    if (feature == null) {
      throw new IllegalArgumentException("feature is required for this action, but none was given");
    }
    return feature;
  }

  private static Duration duration(Long seconds) {
    if (seconds == null) {
      throw new IllegalArgumentException("durationSeconds is required: overrides always expire; give a "
          + "positive number of seconds");
    }
    return Duration.ofSeconds(seconds);
  }

  private static Map<String, Object> feature(FeatureStatus f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tier", f.tier().name());
    m.put("state", f.state().name());
    m.put("admittedFraction", f.admittedFraction());
    if (f.reason() != null) {
      m.put("reason", f.reason().detail());
      m.put("cause", f.reason().cause().name());
    }
    m.put("wouldShed", f.wouldShed());
    m.put("pinned", f.pinned());
    if (f.circuitBreakerState() != null) {
      m.put("circuitBreaker", f.circuitBreakerState());
    }
    Map<String, Long> calls = new LinkedHashMap<>();
    for (CallOutcome o : CallOutcome.values()) {
      calls.put(o.name().toLowerCase(Locale.ROOT), f.calls().getOrDefault(o, 0L));
    }
    m.put("calls", calls);
    Map<String, Long> shed = new LinkedHashMap<>();
    for (ShedHandling h : ShedHandling.values()) {
      shed.put(h.name().toLowerCase(Locale.ROOT), f.shedCalls().getOrDefault(h, 0L));
    }
    m.put("shedCalls", shed);
    m.put("deferredQueued", f.deferredQueued());
    m.put("deferredReplayed", f.deferredReplayed());
    m.put("deferredReplayFailed", f.deferredReplayFailed());
    Map<String, Long> trials = new LinkedHashMap<>();
    trials.put("letThrough", f.trialCalls());
    trials.put("healthy", f.healthyTrialCalls());
    trials.put("unhealthy", f.unhealthyTrialCalls());
    m.put("trialCalls", trials);
    return m;
  }

  private static Map<String, Object> override(OperatorOverride o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", o.kind().name());
    m.put("target", o.target());
    m.put("reason", o.reason());
    m.put("actor", o.actor());
    m.put("createdAt", o.createdAt().toString());
    m.put("expiresAt", o.expiresAt().toString());
    return m;
  }
}
