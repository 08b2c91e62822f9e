package dev.limp.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis for one test class: each test gets a fleet name of its own ({@code it-<random>}), so its keys live
 * under {@code limp:it-<random>:}, and they are deleted after the test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisFixture REDIS = RedisFixture.local();      // the shared server on 6379
 * @RegisterExtension
 * static final RedisFixture OWN = RedisFixture.ownServer();    // a redis-server of the class's own
 * }</pre>
 *
 * <p>Only a class's own server may be stopped and started again ({@link #stop}, {@link #ensureRunning}): it is
 * a {@code redis-server} process on a free port, started for the class and ended after it. The shared server
 * on 6379 is used by other builds at the same time and is never stopped by a test.
 *
 * <p><b>Availability rule</b> (as limp-core's {@code PostgresFixture}). When Redis cannot be reached (or, for an
 * own server, {@code redis-server} is not installed), the class FAILS if the environment variable {@code CI} is
 * set (to anything but {@code false} or {@code 0}), and is SKIPPED with a message saying how to start it
 * otherwise.
 */
public final class RedisFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 6379;
  static final String SERVER = "/usr/bin/redis-server";

  private final UnaryOperator<String> env;
  private final boolean own;
  private int port = PORT;
  private Process server;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private String fleet;

  private RedisFixture(UnaryOperator<String> env, boolean own) {
    this.env = env;
    this.own = own;
  }

  /** The shared local server on 6379; never stopped. */
  public static RedisFixture local() {
    return new RedisFixture(System::getenv, false);
  }

  /** A {@code redis-server} of the class's own on a free port (no persistence), which tests may stop and start. */
  public static RedisFixture ownServer() {
    return new RedisFixture(System::getenv, true);
  }

  static RedisFixture of(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new RedisFixture(env::get, false);
  }

  boolean isCi() {
    String ci = env.apply("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  public RedisURI uri() {
    return RedisURI.builder().withHost(HOST).withPort(port).build();
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

  /** The server's port: 6379, or the own server's. */
  public int port() {
    return port;
  }

  boolean reachable() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (own) {
      startOwn();
    }
    if (!reachable()) {
      String what = "Redis is not reachable at " + HOST + ":" + port;
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
    if (connection != null) {
      connection.close();
    }
    if (client != null) {
      client.shutdown();
    }
    if (server != null) {
      server.destroyForcibly();
    }
  }

  /** Stops the class's own server without saving (its data is gone), as a crash would. */
  public void stop() throws IOException, InterruptedException {
    ownOnly("stop");
    if (connection != null) {
      connection.close();
      connection = null;
    }
    new ProcessBuilder("redis-cli", "-h", HOST, "-p", Integer.toString(port), "shutdown", "nosave")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    if (!server.waitFor(5, TimeUnit.SECONDS)) {
      throw new AssertionError("redis-server on port " + port + " did not stop within 5 s");
    }
  }

  /** Starts the class's own server again (same port) if it is down, and waits until it answers. */
  public void ensureRunning() {
    if (!own || reachable()) {
      return;
    }
    startOwn();
    if (!reachable()) {
      throw new AssertionError("redis-server did not come back on port " + port + " within 10 s");
    }
  }

  private void ownOnly(String what) {
    if (!own) {
      throw new IllegalStateException("only a class's own server may " + what + ": the shared Redis on " + PORT
          + " is used by other builds (RedisFixture.ownServer())");
    }
  }

  private void startOwn() {
    if (!Files.isExecutable(Path.of(SERVER))) {
      String what = SERVER + " is not installed";
      if (isCi()) {
        throw new AssertionError(what + ". CI is set, so this is a failure: this test starts a Redis of its own");
      }
      Assumptions.abort(what + ". Skipping: this test starts and stops a Redis of its own");
    }
    try {
      if (server == null) {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
          port = free.getLocalPort();
        }
      }
      server = new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", HOST, "--save", "",
          "--appendonly", "no", "--daemonize", "no").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!reachable() && server.isAlive() && System.nanoTime() < deadline) {
        server.waitFor(20, TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      throw new AssertionError("could not start " + SERVER, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
