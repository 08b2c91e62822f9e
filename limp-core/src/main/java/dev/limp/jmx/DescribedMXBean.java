package dev.limp.jmx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * The operator MXBean as JMX clients show it: real parameter names ({@code feature},
 * {@code durationSeconds}, {@code reason}, {@code level}) instead of {@code p0, p1, p2}, a description of
 * every attribute, operation and parameter, and the unit of durations ({@code units=seconds} in the
 * parameter's descriptor), so that jconsole and VisualVM users can tell a duration from a reason. The
 * calls themselves go to the adapter unchanged. Thread-safe: the info is built once by
 * {@link StandardMBean} and cached.
 */
final class DescribedMXBean extends StandardMBean {
  private static final List<String> OVERRIDE = List.of("feature", "durationSeconds", "reason");

  private static final Map<String, List<String>> PARAMETERS = Map.of(
      "forceLevel", List.of("level", "durationSeconds", "reason"),
      "shedFeature", OVERRIDE,
      "shedTopTierFeature", OVERRIDE,
      "pinFeature", OVERRIDE,
      "releaseFeature", List.of("feature"));

  private static final Map<String, String> PARAMETER_DESCRIPTIONS = Map.of(
      "level", "The level to force: NORMAL, SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL",
      "feature", "The feature's name, as declared (unknown names are refused)",
      "durationSeconds", "How long the override lasts, in seconds: positive, at most the instance's maximum "
          + "override duration; it always expires",
      "reason", "Why, in words: written to the audit log with your JMX principal (required)");

  private static final Map<String, String> OPERATIONS = Map.of(
      "forceLevel", "Forces the effective level for durationSeconds, whatever the signals say",
      "shedFeature", "Sheds one feature (not of the top tier) for durationSeconds",
      "shedTopTierFeature", "Sheds a CRITICAL_PLUS feature for durationSeconds: the only way the top tier is shed",
      "pinFeature", "Keeps one feature on for durationSeconds, whatever the level",
      "releaseLevel", "Releases the forced level: the governor decides again",
      "releaseFeature", "Releases the override (shed or pin) of one feature",
      "releaseAll", "Releases every override");

  private static final Map<String, String> ATTRIBUTES = Map.of(
      "Level", "The effective level: NORMAL, SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL",
      "GovernorLevel", "The level the governor decided (differs from Level while a level is forced)",
      "LevelReason", "Why the level is what it is",
      "Automatic", "true unless an operator forces the level",
      "ShadowMode", "Whether limp only reports what it would shed",
      "Features", "Each feature's state and counters, one row per feature (a racy point-in-time read)",
      "Signals", "The latest signal readings, by signal name",
      "Overrides", "The overrides in force, one line each");

  private static final Descriptor SECONDS = new ImmutableDescriptor("units=seconds");

  DescribedMXBean(LimpMXBean adapter) {
    super(adapter, LimpMXBean.class, true);
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    return "limp's operator switch: the level, each feature's state, the signals, and overrides that always "
        + "expire";
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return ATTRIBUTES.getOrDefault(info.getName(), info.getDescription());
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    return OPERATIONS.getOrDefault(info.getName(), info.getDescription());
  }

  @Override
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    List<String> names = PARAMETERS.get(op.getName());
    return names != null && sequence < names.size() ? names.get(sequence) : param.getName();
  }

  @Override
  protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    String name = getParameterName(op, param, sequence);
    return PARAMETER_DESCRIPTIONS.getOrDefault(name, param.getDescription());
  }

  /** Adds {@code units=seconds} to every {@code durationSeconds} parameter. */
  @Override
  protected void cacheMBeanInfo(MBeanInfo info) {
    if (info == null) {
      super.cacheMBeanInfo(null);
      return;
    }
    MBeanOperationInfo[] operations = Arrays.stream(info.getOperations()).map(DescribedMXBean::withUnits)
        .toArray(MBeanOperationInfo[]::new);
    super.cacheMBeanInfo(new MBeanInfo(info.getClassName(), info.getDescription(), info.getAttributes(),
        info.getConstructors(), operations, info.getNotifications(), info.getDescriptor()));
  }

  private static MBeanOperationInfo withUnits(MBeanOperationInfo op) {
    MBeanParameterInfo[] params = Arrays.stream(op.getSignature())
        .map(p -> !"durationSeconds".equals(p.getName()) ? p : new MBeanParameterInfo(p.getName(), p.getType(),
            p.getDescription(), ImmutableDescriptor.union(p.getDescriptor(), SECONDS)))
        .toArray(MBeanParameterInfo[]::new);
    return new MBeanOperationInfo(op.getName(), op.getDescription(), params, op.getReturnType(), op.getImpact(),
        op.getDescriptor());
  }
}
