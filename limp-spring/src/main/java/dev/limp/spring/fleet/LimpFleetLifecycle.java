package dev.limp.spring.fleet;

import dev.limp.Limp;
import dev.limp.redis.LimpFleet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Joins the fleet when the context starts (after the limp instance's own lifecycle, in the same phase) and
 * leaves it when the context stops, so the fleet is closed before the limp instance is. Joining never fails
 * start-up because Redis is down: the instance starts alone and joins when it can. A fleet is joined once; a
 * context restarted after a stop does not join again. Thread-safe.
 */
public final class LimpFleetLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LimpFleetLifecycle.class);

  private final LimpFleet fleet;
  private final Limp limp;
  private boolean running;
  private boolean joined;

  public LimpFleetLifecycle(LimpFleet fleet, Limp limp) {
    this.fleet = fleet;
    this.limp = limp;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (!joined) {
      joined = true;
      fleet.join(limp);
    } else {
      log.warn("limp-fleet[{}]: the context started again; a fleet membership that was left is not re-joined",
          limp.name());
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    fleet.close();
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }
}
