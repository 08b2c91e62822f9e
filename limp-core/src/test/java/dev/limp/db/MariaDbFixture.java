package dev.limp.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
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
 * A throw-away MariaDB database for one test class: created in {@code beforeAll} on the local server
 * (127.0.0.1:3306, user {@code root} without a password), filled with the chat schema of
 * {@link PostgresFixture}, and dropped in {@code afterAll} after its sessions are killed, together with every
 * user the class created through {@link #createUser}. Server settings are left as found: the tests set their
 * limits per session ({@code innodb_lock_wait_timeout}, {@code max_statement_time}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MariaDbFixture DB = MariaDbFixture.local();
 * }</pre>
 *
 * <p><b>Availability rule</b> (the one of {@link PostgresFixture}): when the server cannot be reached, the class
 * FAILS if the environment variable {@code CI} is set (to anything but {@code false} or {@code 0}), and is
 * SKIPPED with a message saying how to run it otherwise.
 *
 * <h2>The schema</h2>
 * <ul>
 *   <li>{@code messages(id, room_id, author_id, body)}, indexed on {@code (room_id, id)};
 *   <li>{@code notifications(id, user_id, message_id, seen)}, indexed on {@code user_id};
 *   <li>{@code limp_flags(name, delay_ms)} and the function {@code limp_delay(name)}, which sleeps for the delay
 *       flagged for that name or for {@code 'all'} ({@link #delay}) and returns 1.
 * </ul>
 */
public final class MariaDbFixture implements BeforeAllCallback, AfterAllCallback {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 3306;
  public static final String DEFAULT_USER = "root";
  /** The database that exists on the server; used only to create and drop ours. */
  public static final String ADMIN_DATABASE = "test";

  static final int ROOMS = 200;
  static final int USERS = 1_000;
  private static final int SEED_MESSAGES = 50_000;
  private static final int SEED_NOTIFICATIONS = 50_000;

  private final String host;
  private final int port;
  private final String user;
  private final UnaryOperator<String> env;
  private final String database;
  private final List<String> users = new ArrayList<>();
  private boolean created;

  private MariaDbFixture(String host, int port, String user, UnaryOperator<String> env) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.env = env;
    this.database = "limp_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** The local server (127.0.0.1:3306, user root, no password), with the process's environment. */
  public static MariaDbFixture local() {
    return new MariaDbFixture(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_USER, System::getenv);
  }

  /** A fixture for another server and environment: for the fixture's own tests. */
  static MariaDbFixture of(String host, int port, String user, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    return new MariaDbFixture(host, port, user, env::get);
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
    // the local server speaks no TLS; the driver (4.x) would insist on it by default
    return "jdbc:mariadb://" + host + ":" + port + "/" + db + "?sslMode=disable";
  }

  boolean isCi() {
    String ci = env.apply("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  /** A new connection to this class's database as the fixture's user, outside any pool. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), properties(user, ""));
  }

  /** A new connection to this class's database as a user made by {@link #createUser}. */
  public Connection connect(String userName, String password) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), properties(userName, password));
  }

  private static Properties properties(String user, String password) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", "3000");
    p.setProperty("socketTimeout", "30000");
    return p;
  }

  /**
   * Creates a user {@code limp_<prefix>_<random>} (any host) with the password {@code password} and the given
   * grants on this class's database only ({@code "SELECT, UPDATE"}, say; empty for none), dropped in
   * {@code afterAll}. Returns its name.
   */
  public String createUser(String prefix, String password, String grants) throws SQLException {
    String name = "limp_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + name + "'@'%' IDENTIFIED BY '" + password.replace("'", "''") + "'");
      users.add(name);
      if (!grants.isBlank()) {
        s.execute("GRANT " + grants + " ON " + database + ".* TO '" + name + "'@'%'");
      }
    }
    return name;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Connection admin;
    try {
      admin = DriverManager.getConnection(url(ADMIN_DATABASE), properties(user, ""));
    } catch (SQLException e) {
      String what = "MariaDB is not reachable at " + host + ":" + port + " (user " + user + ", database "
          + ADMIN_DATABASE + "): " + String.valueOf(e.getMessage()).replaceAll("\\.$", "");
      if (isCi()) {
        throw new AssertionError(what + ". CI is set, so this is a failure: the MariaDB tests must run on CI "
            + "(.ci/run starts MariaDB before the tests)", e);
      }
      String message = what + ". Skipping the MariaDB tests; start the server (start-stop-daemon --start "
          + "--background --exec /usr/sbin/mariadbd) to run them, and set CI=true to make its absence a failure";
      System.err.println("[limp] SKIPPED " + (context == null ? "MariaDB tests" : context.getDisplayName())
          + ": " + message);
      Assumptions.abort(message);
      return;
    }
    try (admin; Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE " + database);
      created = true;
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      createSchema(s);
    }
  }

  private static void createSchema(Statement s) throws SQLException {
    s.execute("CREATE TABLE limp_flags (name varchar(64) PRIMARY KEY, delay_ms int NOT NULL CHECK (delay_ms >= 0))");
    s.execute("CREATE FUNCTION limp_delay(feature varchar(64)) RETURNS int NOT DETERMINISTIC READS SQL DATA\n"
        + "BEGIN\n"
        + "  DECLARE d int;\n"
        + "  SELECT max(delay_ms) INTO d FROM limp_flags WHERE name = feature OR name = 'all';\n"
        + "  IF d > 0 THEN DO SLEEP(d / 1000.0); END IF;\n"
        + "  RETURN 1;\n"
        + "END");
    s.execute("CREATE TABLE messages (id bigint AUTO_INCREMENT PRIMARY KEY, room_id int NOT NULL, "
        + "author_id int NOT NULL, body varchar(200) NOT NULL, "
        + "created_at timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB");
    s.execute(String.format(Locale.ROOT, "INSERT INTO messages (room_id, author_id, body) "
        + "SELECT seq %% %d, seq %% %d, CONCAT('message ', seq, ' about topic ', seq %% 97) "
        + "FROM seq_1_to_%d", ROOMS, USERS, SEED_MESSAGES));
    s.execute("CREATE INDEX messages_room ON messages (room_id, id)");
    s.execute("CREATE TABLE notifications (id bigint AUTO_INCREMENT PRIMARY KEY, user_id int NOT NULL, "
        + "message_id bigint NOT NULL, seen boolean NOT NULL DEFAULT false) ENGINE=InnoDB");
    s.execute(String.format(Locale.ROOT, "INSERT INTO notifications (user_id, message_id, seen) "
        + "SELECT seq %% %d, seq, seq %% 3 = 0 FROM seq_1_to_%d", USERS, SEED_NOTIFICATIONS));
    s.execute("CREATE INDEX notifications_user ON notifications (user_id)");
    s.execute("ANALYZE TABLE messages, notifications");
  }

  /** Flags a delay for {@code limp_delay(name)} (or every call, for {@code "all"}); 0 removes the flag. */
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
          + "ON DUPLICATE KEY UPDATE delay_ms = VALUES(delay_ms)")) {
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

  /** The session id ({@code CONNECTION_ID()}) of a connection. */
  public static long sessionId(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A connection to the server's {@code test} database as the fixture's user (for the fixture's tests). */
  Connection connectAdmin() throws SQLException {
    return DriverManager.getConnection(url(ADMIN_DATABASE), properties(user, ""));
  }

  /** Whether this class's database exists on the server. */
  boolean exists() throws SQLException {
    try (Connection admin = DriverManager.getConnection(url(ADMIN_DATABASE), properties(user, ""));
        PreparedStatement ps = admin.prepareStatement(
            "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
      ps.setString(1, database);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (!created && users.isEmpty()) {
      return;
    }
    try (Connection admin = DriverManager.getConnection(url(ADMIN_DATABASE), properties(user, ""));
        Statement s = admin.createStatement()) {
      List<Long> sessions = new ArrayList<>();
      try (PreparedStatement ps = admin.prepareStatement("SELECT ID FROM information_schema.PROCESSLIST "
          + "WHERE (DB = ? OR USER IN (" + quotedUsers() + ")) AND ID <> CONNECTION_ID()")) {
        ps.setString(1, database);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            sessions.add(rs.getLong(1));
          }
        }
      }
      for (long id : sessions) {
        try {
          s.execute("KILL " + id);
        } catch (SQLException gone) {
          // it ended by itself in the meantime
        }
      }
      for (String u : users) {
        s.execute("DROP USER IF EXISTS '" + u + "'@'%'");
      }
      users.clear();
      if (created) {
        s.execute("DROP DATABASE IF EXISTS " + database);
        created = false;
      }
    }
  }

  private String quotedUsers() {
    if (users.isEmpty()) {
      return "''";
    }
    return String.join(", ", users.stream().map(u -> "'" + u + "'").toList());
  }
}
