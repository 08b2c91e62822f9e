package dev.limp.redis.internal;

import dev.limp.Limp;
import dev.limp.Overrides;
import dev.limp.jmx.LimpJmx;
import dev.limp.redis.FleetAuditEntry;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetOverride;
import dev.limp.redis.FleetUnavailableException;
import dev.limp.redis.LimpFleet;
import dev.limp.redis.jmx.FleetJmx;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet membership: wires the link, the store, the mirror, the heartbeats and the rule, and runs them on
 * one daemon thread, {@code limp-fleet-<instance>}: each heartbeat interval it re-syncs if due (at once after
 * Redis comes back), writes the heartbeat, and updates the fleet rule. Thread-safe.
 */
public final class RedisFleet implements LimpFleet {
  private static final Logger LOG = LoggerFactory.getLogger(LimpFleet.class);

  private final FleetConfig config;
  private final FleetKeys keys;
  private final FleetTime time;
  private FleetFront front;
  private Limp limp;
  private volatile String instance;
  private RedisLink link;
  private FleetStore store;
  private OverrideMirror mirror;
  private Heartbeats heartbeats;
  private FleetRuleSource ruleSource;
  private LimpJmx.Registration mbean;
  private ScheduledExecutorService thread;
  private volatile boolean closed;
  /** Only the fleet thread reads and writes these. */
  private boolean down = true;
  private long lastResyncNanos;

  public RedisFleet(FleetConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.keys = new FleetKeys(config.fleet());
    this.time = new FleetTime(config.clock());
  }

  @Override
  public synchronized Overrides overrides(Overrides own) {
    if (front != null) {
      throw new IllegalStateException("this fleet membership already fronts an instance's overrides; make one "
          + "LimpFleet per limp instance");
    }
    front = new FleetFront(own);
    return front;
  }

  @Override
  public synchronized void join(Limp limp) {
    Objects.requireNonNull(limp, "limp");
    if (front == null || limp.overrides() != front) {
      throw new IllegalStateException("limp instance '" + limp.name() + "' was not built with this fleet's "
          + "overrides: build it with Limp.builder()…overridesDecorator(fleet::overrides), then join");
    }
    if (this.limp != null || closed) {
      throw new IllegalStateException("this fleet membership already joined (or was closed)");
    }
    this.limp = limp;
    this.instance = config.instanceId().orElseGet(() -> defaultId(limp.name()));
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "limp-fleet-" + instance);
      t.setDaemon(true);
      return t;
    });
    this.link = new RedisLink(config, keys.changes(), this::onMessage);
    this.store = new FleetStore(keys, link, time, config.auditMaxLength());
    this.mirror = new OverrideMirror(instance, limp, front.own(), store, time, new ReentrantLock());
    this.heartbeats = new Heartbeats(keys, link, config.memberTtl());
    front.join(new FleetFront.Member(instance, limp, store, mirror, time));
    config.rule().ifPresent(rule -> {
      ruleSource = new FleetRuleSource(instance, rule, config.clock(), config.memberTtl());
      limp.addSignalSource(ruleSource);
    });
    Future<?> first = thread.submit(this::cycle);
    try {
      first.get(config.commandTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("limp-fleet[{}]: first sync with Redis at {} not done yet; the instance decides alone until it is",
          instance, link.where());
    }
    long period = config.heartbeatInterval().toNanos();
    thread.scheduleWithFixedDelay(this::cycle, period, period, TimeUnit.NANOSECONDS);
    LOG.info("limp-fleet[{}]: joined fleet '{}' on {} as {}{}", limp.name(), config.fleet(), link.where(),
        instance, ruleSource == null ? "" : ", following " + config.rule().orElseThrow());
    if (config.registerMBean()) {
      try {
        mbean = FleetJmx.registerPlatform(this);
      } catch (IllegalStateException e) {
        close();
        throw e;
      }
    }
  }

  private void onMessage(String raw) {
    try {
      thread.execute(() -> mirror.onMessage(raw));
    } catch (RejectedExecutionException e) {
      // closing: the instance no longer follows the fleet
    }
  }

  /** One beat of the fleet thread: re-sync if due, heartbeat, fleet rule. Never throws. */
  private void cycle() {
    if (closed) {
      return;
    }
    try {
      long now = System.nanoTime();
      if (down || now - lastResyncNanos >= config.resyncInterval().toNanos()) {
        mirror.resync();
        lastResyncNanos = now;
        if (down) {
          LOG.info("limp-fleet[{}]: in step with fleet '{}' on {}", instance, config.fleet(), link.where());
        }
        down = false;
      }
      heartbeats.publish(instance, limp.status());
      if (ruleSource != null) {
        ruleSource.update(heartbeats.members());
      }
    } catch (FleetUnavailableException e) {
      if (!down && !closed) {
        LOG.warn("limp-fleet[{}]: lost the fleet ({}); deciding alone, overrides in force expire on time, fleet "
            + "commands are refused until Redis answers", instance, e.getMessage());
      }
      down = true;
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      LOG.error("limp-fleet[{}]: fleet beat failed; trying again at the next one", instance, e);
    }
  }

  @Override
  public String fleet() {
    return config.fleet();
  }

  @Override
  public String instance() {
    String id = instance;
    if (id == null) {
      throw new IllegalStateException("not joined yet: the instance id is known at join");
    }
    return id;
  }

  @Override
  public boolean isConnected() {
    RedisLink l;
    synchronized (this) {
      l = link;
    }
    return l != null && l.isConnected();
  }

  @Override
  public List<FleetMember> members() {
    return joined().heartbeats.members();
  }

  @Override
  public List<FleetOverride> overridesInForce() {
    return joined().store.inForce().overrides();
  }

  @Override
  public List<FleetAuditEntry> audit(int count) {
    if (count < 1 || count > 10_000) {
      throw new IllegalArgumentException("count must be between 1 and 10000, but was " + count);
    }
    return joined().store.audit(count);
  }

  private synchronized RedisFleet joined() {
    if (limp == null) {
      throw new IllegalStateException("not joined yet (LimpFleet.join)");
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (mbean != null) {
      mbean.close();
    }
    if (thread == null) {
      return;
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ruleSource != null) {
      limp.removeSignalSource(ruleSource);
    }
    try {
      heartbeats.leave(instance);
    } catch (RuntimeException e) {
      LOG.debug("limp-fleet[{}]: heartbeat not removed at close; it expires within its TTL", instance, e);
    }
    link.close();
    LOG.info("limp-fleet[{}]: left fleet '{}'", instance, config.fleet());
  }

  private static String defaultId(String name) {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "host";
      }
    }
    String id = name + "@" + host.replaceAll("[^A-Za-z0-9._\\-]", "-") + "-" + ProcessHandle.current().pid();
    return id.length() > 128 ? id.substring(0, 128) : id;
  }
}
