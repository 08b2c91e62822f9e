package dev.limp.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away PostgreSQL database for one test class: created in {@code beforeAll} on the local server
 * (through a connection to its {@code test} database), filled with a small chat schema, and dropped in
 * {@code afterAll} after its backends are terminated. Server settings are left as found.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresFixture DB = PostgresFixture.local();
 * }</pre>
 *
 * <p><b>Availability rule.</b> When the server cannot be reached, the class FAILS if the environment variable
 * {@code CI} is set (to anything but {@code false} or {@code 0}), and is SKIPPED with a message saying how to
 * run it otherwise: CI must never pass by skipping, a developer without PostgreSQL must not be blocked. The
 * message goes to the console too (surefire keeps an abort's message in its XML only), and names what the
 * fixture expects: a server on 127.0.0.1:5432, user {@code postgres} without a password, and a database named
 * {@code test} to connect to.
 *
 * <h2>The schema</h2>
 * <ul>
 *   <li>{@code messages(id, room_id, author_id, body)}, indexed on {@code (room_id, id)}: chat;
 *   <li>{@code notifications(id, user_id, message_id, seen)}, indexed on {@code user_id};
 *   <li>{@code limp_flags(name, delay_ms)} and the function {@code limp_delay(name)}: every feature's query
 *       calls {@code limp_delay('<feature>')} once (as an init-plan), which sleeps for the delay flagged for
 *       that name or for {@code 'all'}; an incident is a row in this table ({@link #delay}).
 * </ul>
 */
public final class PostgresFixture implements BeforeAllCallback, AfterAllCallback {
  /** The local server of the project's CI and developer machines. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_USER = "postgres";
  /** The database that exists on the server; used only to create and drop ours. */
  public static final String ADMIN_DATABASE = "test";

  /** Rows of the seeded tables: enough for the indexes to matter, small enough to load in a second. */
  static final int ROOMS = 200;
  static final int USERS = 1_000;
  private static final int SEED_MESSAGES = 50_000;
  private static final int SEED_NOTIFICATIONS = 50_000;

  private final String host;
  private final int port;
  private final String user;
  private final UnaryOperator<String> env;
  private final String database;
  private boolean created;

  private PostgresFixture(String host, int port, String user, UnaryOperator<String> env) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.env = env;
    this.database = "limp_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** The local server (127.0.0.1:5432, user postgres, trust auth), with the process's environment. */
  public static PostgresFixture local() {
    return new PostgresFixture(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_USER, System::getenv);
  }

  /** A fixture for another server and environment: for the fixture's own tests. */
  static PostgresFixture of(String host, int port, String user, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new PostgresFixture(host, port, user, env::get);
  }

  /** The name of this class's database, {@code limp_it_<random>}. */
  public String database() {
    return database;
  }

  /** The JDBC URL of this class's database. */
  public String jdbcUrl() {
    return url(database);
  }

  public String user() {
    return user;
  }

  private String url(String db) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + db;
  }

  /** Whether the environment says this is a CI run (where an unreachable server is a failure). */
  boolean isCi() {
    String ci = env.apply("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  /** A new connection to this class's database, outside any pool (the caller closes it). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), properties());
  }

  private Properties properties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("connectTimeout", "3");
    p.setProperty("socketTimeout", "30");
    p.setProperty("ApplicationName", "limp-it");
    return p;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Connection admin;
    try {
      admin = DriverManager.getConnection(url(ADMIN_DATABASE), properties());
    } catch (SQLException e) {
      String what = "PostgreSQL is not reachable at " + host + ":" + port + " (user " + user + ", database "
          + ADMIN_DATABASE + "): " + String.valueOf(e.getMessage()).replaceAll("\\.$", "");
      if (isCi()) {
        throw new AssertionError(what + ". CI is set, so this is a failure: the incident tests must run on "
            + "CI (.ci/run starts PostgreSQL before the tests)", e);
      }
      String message = what + ". Skipping the PostgreSQL incident tests; start the server (pg_ctlcluster "
          + "<version> main start) with a database named " + ADMIN_DATABASE + " (createdb -h " + host + " -U "
          + user + " " + ADMIN_DATABASE + ") to run them, and set CI=true to make its absence a failure";
      System.err.println("[limp] SKIPPED " + (context == null ? "PostgreSQL tests" : context.getDisplayName())
          + ": " + message);
      Assumptions.abort(message);
      return;
    }
    try (admin; Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
      created = true;
      // a per-database setting, gone with the database: commits do not wait for the WAL flush, so the disk
      // of a machine shared with builds does not add its stalls to the "healthy" latencies
      s.execute("ALTER DATABASE " + database + " SET synchronous_commit = off");
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      createSchema(s);
    }
  }

  private static void createSchema(Statement s) throws SQLException {
    s.execute("CREATE TABLE limp_flags (name text PRIMARY KEY, delay_ms integer NOT NULL CHECK (delay_ms >= 0))");
    s.execute("CREATE FUNCTION limp_delay(feature text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$\n"
        + "DECLARE d integer;\n"
        + "BEGIN\n"
        + "  SELECT max(delay_ms) INTO d FROM limp_flags WHERE name = feature OR name = 'all';\n"
        + "  IF d > 0 THEN PERFORM pg_sleep(d / 1000.0); END IF;\n"
        + "  RETURN true;\n"
        + "END $$");
    s.execute("CREATE TABLE messages (id bigserial PRIMARY KEY, room_id integer NOT NULL, "
        + "author_id integer NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
    s.execute(String.format(Locale.ROOT, "INSERT INTO messages (room_id, author_id, body) "
        + "SELECT g %% %d, g %% %d, 'message ' || g || ' about topic ' || (g %% 97) "
        + "FROM generate_series(1, %d) g", ROOMS, USERS, SEED_MESSAGES));
    s.execute("CREATE INDEX messages_room ON messages (room_id, id)");
    s.execute("CREATE TABLE notifications (id bigserial PRIMARY KEY, user_id integer NOT NULL, "
        + "message_id bigint NOT NULL, seen boolean NOT NULL DEFAULT false)");
    s.execute(String.format(Locale.ROOT, "INSERT INTO notifications (user_id, message_id, seen) "
        + "SELECT g %% %d, g, g %% 3 = 0 FROM generate_series(1, %d) g", USERS, SEED_NOTIFICATIONS));
    s.execute("CREATE INDEX notifications_user ON notifications (user_id)");
    s.execute("ANALYZE");
  }

  /**
   * Flags a delay: from now on every query that calls {@code limp_delay(name)} (or every query, for
   * {@code "all"}) sleeps {@code millis} first. 0 removes the flag.
   */
  public void delay(String name, int millis) throws SQLException {
    try (Connection c = connect()) {
      if (millis <= 0) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM limp_flags WHERE name = ?")) {
          ps.setString(1, name);
          ps.executeUpdate();
        }
        return;
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO limp_flags (name, delay_ms) VALUES (?, ?) "
          + "ON CONFLICT (name) DO UPDATE SET delay_ms = EXCLUDED.delay_ms")) {
        ps.setString(1, name);
        ps.setInt(2, millis);
        ps.executeUpdate();
      }
    }
  }

  /** Removes every delay flag. */
  public void clearDelays() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM limp_flags");
    }
  }

  /** How many backends are connected to this class's database now (other than the asking one). */
  public int backends() throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
            + "AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Whether this class's database exists on the server. */
  boolean exists() throws SQLException {
    try (Connection admin = DriverManager.getConnection(url(ADMIN_DATABASE), properties());
        PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!created) {
      return;
    }
    try (Connection admin = DriverManager.getConnection(url(ADMIN_DATABASE), properties())) {
      try (PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          + "WHERE datname = ? AND pid <> pg_backend_pid()")) {
        ps.setString(1, database);
        ps.executeQuery().close();
      }
      try (Statement s = admin.createStatement()) {
        // WITH (FORCE) (PostgreSQL 13+) terminates a backend that connected after the line above
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      created = false;
    }
  }
}
