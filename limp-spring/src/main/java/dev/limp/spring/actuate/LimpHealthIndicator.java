package dev.limp.spring.actuate;

import dev.limp.FeatureState;
import dev.limp.FeatureStatus;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpStatus;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports limp's level as health: {@code UP} at {@link Level#NORMAL} with nothing shed, else
 * {@link #DEGRADED}, never {@code DOWN}: shedding is limp doing its job, and a pod that sheds secondary
 * features must not be killed for it. {@code DEGRADED} is not in Spring Boot's default status order, so it
 * does not change the aggregate status nor the HTTP code; the details say the level, why, and what is shed.
 * Thread-safe.
 */
public class LimpHealthIndicator implements HealthIndicator {
  /** The status while any feature is shed or the level is above normal. */
  public static final Status DEGRADED = new Status("DEGRADED", "limp sheds features to protect the database");

  private final Limp limp;

  public LimpHealthIndicator(Limp limp) {
    this.limp = limp;
  }

  @Override
  public Health health() {
    LimpStatus s = limp.status();
    List<String> shed = s.features().stream().filter(f -> f.state() == FeatureState.SHED)
        .map(FeatureStatus::name).toList();
    boolean degraded = s.level() != Level.NORMAL || !shed.isEmpty();
    return Health.status(degraded ? DEGRADED : Status.UP)
        .withDetail("instance", s.instance())
        .withDetail("level", s.level().name())
        .withDetail("reason", s.levelReason())
        .withDetail("shed", shed)
        .withDetail("shadowMode", s.shadowMode())
        .withDetail("overrides", s.overrides().size())
        .build();
  }
}
