package dev.limp.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local Redis for one test class: each test gets a fleet name of its own ({@code it-<random>}), so its
 * keys live under {@code limp:it-<random>:}, and they are deleted after the test. A test may stop and restart
 * the server ({@link #restart}); after the class the server is running again, whatever happened.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisFixture REDIS = RedisFixture.local();
 * }</pre>
 *
 * <p><b>Availability rule</b> (as limp-core's {@code PostgresFixture}). When Redis cannot be reached, the class
 * FAILS if the environment variable {@code CI} is set (to anything but {@code false} or {@code 0}), and is
 * SKIPPED with a message saying how to start it otherwise.
 */
public final class RedisFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 6379;
  /** How the project starts its Redis: no persistence, local only. */
  static final String[] START = {"redis-server", "--daemonize", "yes", "--bind", HOST, "--port",
      Integer.toString(PORT), "--save", ""};

  private final UnaryOperator<String> env;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private String fleet;

  private RedisFixture(UnaryOperator<String> env) {
    this.env = env;
  }

  public static RedisFixture local() {
    return new RedisFixture(System::getenv);
  }

  static RedisFixture of(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new RedisFixture(env::get);
  }

  boolean isCi() {
    String ci = env.apply("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  public RedisURI uri() {
    return RedisURI.builder().withHost(HOST).withPort(PORT).build();
  }

  /** This test's fleet name. */
  public String fleet() {
    return fleet;
  }

  /** A configuration for this test's fleet, with short intervals. */
  public FleetConfig.Builder config() {
    return FleetConfig.builder(fleet, uri())
        .heartbeatInterval(Duration.ofMillis(200))
        .memberTtl(Duration.ofMillis(1_000))
        .resyncInterval(Duration.ofMillis(500))
        .commandTimeout(Duration.ofMillis(500));
  }

  /** Commands on the server, outside any fleet (for tests that write what a fleet would not). */
  public RedisCommands<String, String> redis() {
    if (connection == null || !connection.isOpen()) {
      connection = client.connect();
    }
    return connection.sync();
  }

  static boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, PORT), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!reachable()) {
      String what = "Redis is not reachable at " + HOST + ":" + PORT;
      if (isCi()) {
        throw new AssertionError(what + ". CI is set, so this is a failure: the fleet tests must run on CI "
            + "(.ci/run starts Redis before the tests)");
      }
      Assumptions.abort(what + ". Skipping the fleet tests; start it (redis-server --daemonize yes --bind "
          + HOST + " --port " + PORT + " --save \"\") to run them, and set CI=true to make its absence a failure");
    }
    client = RedisClient.create(uri());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    fleet = "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    ensureRunning();
    RedisCommands<String, String> r = redis();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches("limp:" + fleet + ":*").limit(500));
      if (!page.getKeys().isEmpty()) {
        r.del(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ensureRunning();
    if (connection != null) {
      connection.close();
    }
    if (client != null) {
      client.shutdown();
    }
  }

  /** Stops the server without saving (its data is gone), as a crash would. */
  public void stop() throws IOException, InterruptedException {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    new ProcessBuilder("redis-cli", "-h", HOST, "-p", Integer.toString(PORT), "shutdown", "nosave")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (reachable() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** Starts the server if it is down, and waits until it answers. */
  public void ensureRunning() {
    if (reachable()) {
      return;
    }
    try {
      new ProcessBuilder(START).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!reachable() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new AssertionError("could not start redis-server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!reachable()) {
      throw new AssertionError("redis-server did not come back within 10 s");
    }
  }
}
