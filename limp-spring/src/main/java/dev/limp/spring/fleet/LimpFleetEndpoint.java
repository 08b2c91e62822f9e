package dev.limp.spring.fleet;

import dev.limp.redis.FleetAuditEntry;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetUnavailableException;
import dev.limp.redis.LimpFleet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code limpfleet} Actuator endpoint ({@code /actuator/limpfleet}): every live instance of the fleet
 * from its heartbeat (level and reason, features, signals, overrides in force) and the latest operator
 * actions of the whole fleet. A separate id, as {@code limpevents}: under {@code /actuator/limp/}, a sub-path
 * is read as a feature's name ({@code management.endpoints.web.path-mapping.limpfleet=limp-fleet} moves it).
 * Read-only: operator actions go through the {@code limp} endpoint, which acts on the whole fleet. When Redis
 * does not answer, the body says so ({@code "connected": false, "error": …}) instead of failing. Thread-safe.
 */
@Endpoint(id = "limpfleet")
public class LimpFleetEndpoint {
  /** How many audit entries the endpoint shows unless asked for another number. */
  public static final int DEFAULT_AUDIT = 50;

  private final LimpFleet fleet;
  private final String name;

  public LimpFleetEndpoint(LimpFleet fleet, String name) {
    this.fleet = fleet;
    this.name = name;
  }

  /**
   * The fleet's members and its audit, newest first.
   *
   * @param audit how many audit entries, 1 to 10 000 (default {@value #DEFAULT_AUDIT})
   */
  @ReadOperation
  public Map<String, Object> fleet(@Nullable Integer audit) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("fleet", name);
    body.put("instance", fleet.instance());
    body.put("connected", fleet.isConnected());
    try {
      List<FleetMember> members = fleet.members();
      List<FleetAuditEntry> entries = fleet.audit(audit == null ? DEFAULT_AUDIT : audit);
      body.put("members", members.stream().map(LimpFleetEndpoint::member).toList());
      body.put("audit", entries.stream().map(LimpFleetEndpoint::audit).toList());
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
