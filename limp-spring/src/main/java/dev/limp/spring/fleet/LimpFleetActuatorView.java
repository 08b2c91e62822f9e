package dev.limp.spring.fleet;

import dev.limp.redis.FleetAuditEntry;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetOverride;
import dev.limp.redis.FleetUnavailableException;
import dev.limp.redis.LimpFleet;
import dev.limp.spring.actuate.LimpFleetView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code /actuator/limp/fleet}: every live instance of the fleet from its heartbeat (level and
 * reason, whether it only follows the fleet rule, each feature's state, signals with the pool's numbers among
 * them, how many overrides are in force on it, the heartbeat's age), the fleet's overrides in force as Redis
 * holds them, and the latest operator actions of the whole fleet. Read-only: operator actions go through the
 * {@code limp} endpoint's write operation, which acts on the whole fleet. When Redis does not answer, the body
 * says so ({@code "connected": false, "error": …}) instead of failing. Thread-safe.
 */
public final class LimpFleetActuatorView implements LimpFleetView {
  private final LimpFleet fleet;

  public LimpFleetActuatorView(LimpFleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public Map<String, Object> read(int audit) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fleet", fleet.fleet());
    body.put("instance", fleet.instance());
    body.put("connected", fleet.isConnected());
    try {
      List<FleetMember> members = fleet.members();
      List<FleetOverride> overrides = fleet.overridesInForce();
      List<FleetAuditEntry> entries = fleet.audit(audit);
      body.put("members", members.stream().map(LimpFleetActuatorView::member).toList());
      body.put("overrides", overrides.stream().map(LimpFleetActuatorView::override).toList());
      body.put("audit", entries.stream().map(LimpFleetActuatorView::audit).toList());
    } catch (FleetUnavailableException e) {
      body.put("connected", false);
      body.put("error", e.getMessage());
    }
    return body;
  }

  private static Map<String, Object> member(FleetMember m) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instance", m.instance());
    body.put("level", m.level().name());
    body.put("reason", m.levelReason());
    body.put("followsFleet", m.followsFleet());
    body.put("features", m.features());
    body.put("signals", m.signals());
    body.put("overrides", m.overrides());
    body.put("seenAt", m.seenAt().toString());
    body.put("ageMillis", m.age().toMillis());
    return body;
  }

  private static Map<String, Object> override(FleetOverride o) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", o.kind());
    body.put("target", o.target());
    body.put("actor", o.actor());
    body.put("origin", o.origin());
    body.put("reason", o.reason());
    body.put("createdAt", o.createdAt().toString());
    body.put("expiresAt", o.expiresAt().toString());
    return body;
  }

  private static Map<String, Object> audit(FleetAuditEntry e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", e.action());
    body.put("target", e.target());
    body.put("actor", e.actor());
    body.put("origin", e.origin());
    body.put("reason", e.reason());
    body.put("at", String.valueOf(e.at()));
    body.put("expiresAt", e.expiresAt() == null ? null : e.expiresAt().toString());
    return body;
  }
}
