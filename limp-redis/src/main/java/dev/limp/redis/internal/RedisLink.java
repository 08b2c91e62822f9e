package dev.limp.redis.internal;

import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The connections to Redis: one for commands and, for a member, one subscribed to the changes channel.
 * Connects on demand (a fleet that starts while Redis is down keeps trying); once connected, Lettuce
 * reconnects by itself and re-subscribes. While disconnected, commands are refused at once rather than
 * queued, and every command waits at most the command timeout: nothing ever waits on Redis for long.
 * Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
  private final FleetConfig config;
  private final String channel;
  private final Consumer<String> onMessage;
  private final ClientResources resources;
  private final boolean ownResources;
  private final RedisClient client;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean healthy;
  private volatile boolean closed;

  /**
   * @param channel the channel to subscribe to, or {@code null} for none
   * @param onMessage receives each message of the channel, on a Lettuce thread: it must hand it on at once
   */
  public RedisLink(FleetConfig config, String channel, Consumer<String> onMessage) {
    this.config = config;
    this.channel = channel;
    this.onMessage = onMessage;
    this.ownResources = config.clientResources().isEmpty();
    this.resources = config.clientResources().orElseGet(() -> DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(1)
        // back within a second of Redis coming back, whatever the outage's length
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build());
    this.client = RedisClient.create(resources, config.redisUri());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(config.commandTimeout()).build())
        .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
        .build());
  }

  /** Whether the latest command succeeded and the connections are open. */
  public boolean isConnected() {
    StatefulRedisConnection<String, String> c = connection;
    return healthy && c != null && c.isOpen() && (channel == null || pubSub != null && pubSub.isOpen());
  }

  /**
   * Runs one exchange with Redis.
   *
   * @throws FleetUnavailableException naming {@code what} and the cause, if Redis cannot be reached, does
   *     not answer within the command timeout, or refuses
   */
  public <T> T call(String what, Function<RedisCommands<String, String>, T> exchange) {
    try {
      T result = exchange.apply(connect().sync());
      healthy = true;
      return result;
    } catch (FleetUnavailableException e) {
      healthy = false;
      throw e;
    } catch (RedisCommandTimeoutException e) {
      healthy = false;
      throw new FleetUnavailableException(what + ": Redis at " + where() + " did not answer within "
          + config.commandTimeout().toMillis() + " ms (it may still have done it; the fleet's overrides show "
          + "whether it did)", e);
    } catch (RuntimeException e) {
      healthy = false;
      throw new FleetUnavailableException(what + ": Redis at " + where() + " failed: " + e.getMessage(), e);
    }
  }

  private synchronized StatefulRedisConnection<String, String> connect() {
    if (closed) {
      throw new FleetUnavailableException("the fleet link to " + where() + " is closed", null);
    }
    if (connection == null) {
      StatefulRedisConnection<String, String> c;
      try {
        c = client.connect();
      } catch (RuntimeException e) {
        throw new FleetUnavailableException("cannot connect to Redis at " + where() + ": " + e.getMessage(), e);
      }
      c.setTimeout(config.commandTimeout());
      connection = c;
    }
    if (channel != null && pubSub == null) {
      try {
        StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
        p.setTimeout(config.commandTimeout());
        p.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String ch, String message) {
            onMessage.accept(message);
          }
        });
        p.sync().subscribe(channel);
        pubSub = p;
      } catch (RuntimeException e) {
        throw new FleetUnavailableException("cannot subscribe to " + channel + " on Redis at " + where() + ": "
            + e.getMessage(), e);
      }
    }
    return connection;
  }

  /** Redis's host and port, never its password. */
  public String where() {
    return config.redisUri().getHost() + ":" + config.redisUri().getPort();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    healthy = false;
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (ownResources) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
