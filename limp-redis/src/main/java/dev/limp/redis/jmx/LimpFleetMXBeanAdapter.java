package dev.limp.redis.jmx;

import dev.limp.redis.FleetAuditEntry;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetOverride;
import dev.limp.redis.FleetUnavailableException;
import dev.limp.redis.LimpFleet;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads the fleet for JMX: turns members, overrides and audit entries into open-type views, and a Redis that
 * does not answer into an {@link IllegalStateException} of the JDK without a cause (the cause is Lettuce's,
 * whose classes a JMX client does not have). Thread-safe.
 */
final class LimpFleetMXBeanAdapter implements LimpFleetMXBean {
  private final LimpFleet fleet;

  LimpFleetMXBeanAdapter(LimpFleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public String getFleetName() {
    return fleet.fleet();
  }

  @Override
  public String getInstance() {
    return fleet.instance();
  }

  @Override
  public boolean isConnected() {
    return fleet.isConnected();
  }

  @Override
  public List<MemberView> getMembers() {
    return read(() -> fleet.members().stream().map(LimpFleetMXBeanAdapter::view).collect(Collectors.toList()));
  }

  @Override
  public List<OverrideView> getOverrides() {
    return read(() -> fleet.overridesInForce().stream().map(LimpFleetMXBeanAdapter::view)
        .collect(Collectors.toList()));
  }

  @Override
  public List<AuditView> getAudit() {
    return read(() -> fleet.audit(AUDIT_ENTRIES).stream().map(LimpFleetMXBeanAdapter::view)
        .collect(Collectors.toList()));
  }

  private static <T> T read(Supplier<T> read) {
    try {
      return read.get();
    } catch (FleetUnavailableException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  private static MemberView view(FleetMember m) {
    return new MemberView(m.instance(), m.level().name(), m.levelReason(), m.followsFleet(), m.age().toMillis(),
        m.seenAt().toString(), m.overrides(), m.features(), m.signals());
  }

  private static OverrideView view(FleetOverride o) {
    return new OverrideView(o.kind(), o.target(), o.actor(), o.origin(), o.reason(), o.createdAt().toString(),
        o.expiresAt().toString());
  }

  private static AuditView view(FleetAuditEntry e) {
    return new AuditView(e.id(), e.at().toString(), e.action(), e.target(), e.actor(), e.origin(), e.reason(),
        e.expiresAt() == null ? "" : e.expiresAt().toString());
  }
}
