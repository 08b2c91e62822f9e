package dev.limp.micrometer;

import java.util.Objects;

/**
 * The catalogue of meters {@link LimpMetrics} registers under a name an application may change: for each, the
 * {@link LimpMetricNames.Builder} setting that renames it and its default name, and the one rule every name
 * follows. {@link LimpMetricNames} holds the names chosen; this says which names there are. Immutable.
 */
enum MeterName {
  LEVEL("levelMetricName", LimpMetricNames.DEFAULT_LEVEL),
  LEVEL_OVERRIDDEN("levelOverriddenMetricName", LimpMetricNames.DEFAULT_LEVEL_OVERRIDDEN),
  LEVEL_TRANSITIONS("levelTransitionsMetricName", LimpMetricNames.DEFAULT_LEVEL_TRANSITIONS),
  FEATURE_STATE("featureStateMetricName", LimpMetricNames.DEFAULT_FEATURE_STATE),
  FEATURE_ADMITTED("featureAdmittedMetricName", LimpMetricNames.DEFAULT_FEATURE_ADMITTED),
  FEATURE_WOULD_SHED("featureWouldShedMetricName", LimpMetricNames.DEFAULT_FEATURE_WOULD_SHED),
  FEATURE_TRANSITIONS("featureTransitionsMetricName", LimpMetricNames.DEFAULT_FEATURE_TRANSITIONS),
  CALLS("callsMetricName", LimpMetricNames.DEFAULT_CALLS),
  SHED_CALLS("shedCallsMetricName", LimpMetricNames.DEFAULT_SHED_CALLS),
  TRIAL_CALLS("trialCallsMetricName", LimpMetricNames.DEFAULT_TRIAL_CALLS),
  DEFERRED_QUEUED("deferredQueuedMetricName", LimpMetricNames.DEFAULT_DEFERRED_QUEUED),
  SIGNAL("signalMetricName", LimpMetricNames.DEFAULT_SIGNAL);

  /** The builder setter that renames the meter, as error messages and {@code toString} name it. */
  final String setting;
  final String defaultName;

  MeterName(String setting, String defaultName) {
    this.setting = setting;
    this.defaultName = defaultName;
  }

  /**
   * {@code name} if it is a valid meter name: not null (NPE naming the setting), not blank, no whitespace
   * (IAE naming the setting and the value).
   */
  String check(String name) {
    Objects.requireNonNull(name, setting);
    if (name.isBlank() || !name.strip().equals(name) || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(setting + " must be a non-blank meter name without whitespace, "
          + "like 'limp.level', but was '" + name + "'");
    }
    return name;
  }
}
