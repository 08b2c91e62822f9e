package dev.limp.spring.context;

import dev.limp.Limp;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts governing once the application context is ready, not while it refreshes: when started, it logs
 * the start-up summary, publishes the level changes held by the {@link ApplicationEventBridge}, and ticks
 * the governor every tick interval on a daemon thread of its own, {@code limp-governor-<name>} (the
 * instance is built without a governor thread of its own). Stopping the context stops the ticks (the
 * instance itself is closed with its bean). Until it starts, the level stays where overrides put it:
 * start-up is not an incident. Thread-safe.
 */
public final class LimpLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LimpLifecycle.class);

  private final Limp limp;
  private final @Nullable Duration tickInterval;
  private final ApplicationEventBridge events;
  private final Supplier<String> summary;
  private @Nullable ScheduledExecutorService ticker;
  private boolean running;
  private boolean summarized;

  /**
   * @param tickInterval how often to tick, or {@code null} when the application ticks itself
   * @param summary the start-up summary, logged on the first start
   */
  public LimpLifecycle(Limp limp, @Nullable Duration tickInterval, ApplicationEventBridge events,
      Supplier<String> summary) {
    this.limp = limp;
    this.tickInterval = tickInterval;
    this.events = events;
    this.summary = summary;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (!summarized) {
      summarized = true;
      log.info(summary.get());
    }
    events.open(limp);
    if (tickInterval != null) {
      String name = "limp-governor-" + limp.name();
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      long period = tickInterval.toNanos();
      executor.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.NANOSECONDS);
      ticker = executor;
    }
    running = true;
  }

  private void tick() {
    try {
      limp.tick();
    } catch (RuntimeException | Error e) { // the next tick must still come
      log.warn("limp[{}]: governor tick failed; the next tick retries", limp.name(), e);
    }
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    events.close();
    ScheduledExecutorService executor = ticker;
    ticker = null;
    if (executor != null) {
      executor.shutdownNow();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("limp[{}]: the governor thread did not end within 5 s", limp.name());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  /** Whether the governor is ticked by this lifecycle (otherwise the application calls {@code tick()}). */
  public boolean ticks() {
    return tickInterval != null;
  }
}
