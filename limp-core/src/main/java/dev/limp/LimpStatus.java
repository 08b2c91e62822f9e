package dev.limp;

import java.time.Instant;
import java.util.List;

/**
 * A point-in-time view of a limp instance, for endpoints, MXBeans and tests.
 *
 * @param instance the instance's name
 * @param level the effective level
 * @param governorLevel the level the governor decided (differs from {@code level} while a level is forced)
 * @param levelReason why the effective level is what it is
 * @param levelSince when the effective level was entered
 * @param shadowMode whether the instance only reports what it would shed
 * @param features every feature, by name
 * @param signals the latest signal readings
 * @param overrides the overrides in force
 */
public record LimpStatus(String instance, Level level, Level governorLevel, String levelReason,
    Instant levelSince, boolean shadowMode, List<FeatureStatus> features, SignalSnapshot signals,
    List<OperatorOverride> overrides) {

  /** Whether the effective level is the governor's (no forced level). */
  public boolean isAutomatic() {
    return overrides.stream().noneMatch(o -> o.kind() == OperatorOverride.Kind.FORCE_LEVEL);
  }

  /** The status of the named feature. */
  public java.util.Optional<FeatureStatus> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }
}
