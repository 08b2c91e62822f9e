package dev.limp.examples.chat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat database of one run: the schema and its seed data, the application's HikariCP pool, the
 * operators' own connections (outside the pool), and the storage layer under the pool, whose statements an
 * incident can slow down. H2 in memory by default; PostgreSQL (or any database speaking this SQL) with a
 * JDBC URL. Closing it closes the pool and drops the in-memory database.
 */
final class ChatDatabase implements AutoCloseable {
  /** The application's pool: HikariCP's default size. */
  static final int POOL_SIZE = 10;
  static final int USERS = 200;
  static final int ROOMS = 20;
  static final String[] WORDS = {"deploy", "lunch", "incident", "review", "coffee", "release", "standup",
      "database", "limp", "weekend"};

  final String url;
  final Dialect dialect;
  private final String user;
  private final String password;
  /** Extra time every statement takes on the storage under the pool: the slow-database incident. */
  final AtomicLong storageDelayMillis = new AtomicLong();
  /** Extra time each new connection of the pool takes to open: the start-up scenario on H2 ({@link ColdStart}). */
  final AtomicLong connectDelayMillis = new AtomicLong();
  /** On H2, while the outage incident lasts: the storage under the pool refuses every new connection. */
  private volatile boolean refusingConnections;
  /** On H2, counts outages: a connection opened before the latest outage began was terminated by it. */
  final AtomicInteger outages = new AtomicInteger();
  final HikariDataSource pool;

  enum Dialect {
    H2, POSTGRESQL;

    static Dialect of(String url) {
      return url.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }

    /** A statement that holds the connection for a while: stands for work the demo's small tables cannot cost. */
    String sleep(long millis) {
      return this == H2 ? "CALL SLEEP(" + millis + ")"
          : String.format(Locale.ROOT, "SELECT pg_sleep(%.3f)", millis / 1000.0);
    }

    String lockTimeout(long millis) {
      return this == H2 ? "SET LOCK_TIMEOUT " + millis : "SET lock_timeout = '" + millis + "ms'";
    }
  }

  /**
   * Opens the database of one run. An H2 URL gets a fresh in-memory database named after the run; any
   * other URL is used as given, and the demo's tables are dropped and created again.
   */
  ChatDatabase(String jdbcUrl, String user, String password, String runName, long connectionTimeoutMillis)
      throws SQLException {
    this(jdbcUrl, user, password, runName, connectionTimeoutMillis, false);
  }

  /**
   * @param lazyPool whether the pool opens lazily, on the first {@code getConnection} (as a HikariDataSource
   *     made with its no-argument constructor does, for instance in Spring Boot), instead of at once
   */
  ChatDatabase(String jdbcUrl, String user, String password, String runName, long connectionTimeoutMillis,
      boolean lazyPool) throws SQLException {
    this.url = jdbcUrl == null || jdbcUrl.isBlank()
        ? "jdbc:h2:mem:" + runName + ";DB_CLOSE_DELAY=-1" : jdbcUrl;
    this.dialect = Dialect.of(url);
    this.user = user;
    this.password = password;
    try (Connection c = open()) {
      createSchema(c);
      seed(c);
    }
    HikariConfig config = lazyPool ? new HikariDataSource() : new HikariConfig();
    config.setPoolName("chat-" + runName);
    config.setDataSource(new SlowStorage(this));
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setConnectionTimeout(connectionTimeoutMillis);
    config.setConnectionInitSql(dialect.lockTimeout(2_000));
    pool = lazyPool ? (HikariDataSource) config : new HikariDataSource(config);
  }

  /** A connection straight to the database, outside the pool: what an operator or a batch job uses. */
  Connection open() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /**
   * The outage incident begins: the database accepts no connection and terminates every session of the
   * application. On PostgreSQL, from an operator's connection to the {@code postgres} database:
   * {@code ALTER DATABASE … ALLOW_CONNECTIONS false} and {@code pg_terminate_backend} of every session on this
   * one (connections are allowed again if the termination fails). On H2, which has no such switch for an
   * in-memory database, the storage under the pool refuses new connections with a
   * {@link SQLTransientConnectionException} and fails every later call on a connection opened before, with
   * PostgreSQL's SQLState for a terminated session ({@code 57P01}), so that HikariCP evicts it as it would on
   * PostgreSQL. (A statement already running on H2 completes; on PostgreSQL it is cancelled.)
   */
  void startOutage() throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (Connection admin = openAdmin(); Statement s = admin.createStatement()) {
        s.execute("ALTER DATABASE " + quotedName() + " ALLOW_CONNECTIONS false");
        try {
          s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + databaseName().replace("'", "''") + "' AND pid <> pg_backend_pid()");
        } catch (SQLException e) {
          try {
            s.execute("ALTER DATABASE " + quotedName() + " ALLOW_CONNECTIONS true");
          } catch (SQLException again) {
            e.addSuppressed(again);
          }
          throw e;
        }
      }
    } else {
      refusingConnections = true;
      outages.incrementAndGet();
    }
  }

  /** The outage ends: the database accepts connections again. */
  void endOutage() throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (Connection admin = openAdmin(); Statement s = admin.createStatement()) {
        s.execute("ALTER DATABASE " + quotedName() + " ALLOW_CONNECTIONS true");
      }
    } else {
      refusingConnections = false;
    }
  }

  /** The database of {@link #url}: the path after the server, without parameters. */
  String databaseName() {
    String path = url.substring(url.lastIndexOf('/') + 1);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private String quotedName() {
    return '"' + databaseName().replace("\"", "\"\"") + '"';
  }

  /** An operator's connection to the server's {@code postgres} database, which an outage of this one spares. */
  private Connection openAdmin() throws SQLException {
    int slash = url.lastIndexOf('/');
    String rest = url.substring(slash + 1);
    int query = rest.indexOf('?');
    return DriverManager.getConnection(url.substring(0, slash + 1) + "postgres"
        + (query < 0 ? "" : rest.substring(query)), user, password);
  }

  /** What the storage does before it opens a connection for the pool: refuse it in an outage, or take its time. */
  void beforeConnect() throws SQLException {
    if (refusingConnections) {
      throw new SQLTransientConnectionException("the database does not accept connections (outage)", "08004");
    }
    long delay = connectDelayMillis.get();
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLTransientConnectionException("interrupted while connecting", "08001", e);
      }
    }
  }

  private void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String table : new String[] {"activity", "user_state", "notifications", "messages", "rooms", "users"}) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
      if (dialect == Dialect.H2) {
        // JDK 25 refuses H2's reflective lookup of a bare class name: name the method with its parameter type.
        s.execute("CREATE ALIAS IF NOT EXISTS SLEEP FOR 'java.lang.Thread.sleep(long)'");
      }
      s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
      s.execute("CREATE TABLE rooms (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
          + "last_message_at TIMESTAMP)");
      s.execute("CREATE TABLE messages (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
          + "room_id BIGINT NOT NULL REFERENCES rooms(id), author_id BIGINT NOT NULL REFERENCES users(id), "
          + "body VARCHAR(500) NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
      s.execute("CREATE INDEX messages_room ON messages(room_id, id)");
      s.execute("CREATE TABLE notifications (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
          + "user_id BIGINT NOT NULL, message_id BIGINT NOT NULL, kind VARCHAR(16) NOT NULL, "
          + "seen BOOLEAN DEFAULT FALSE NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
      s.execute("CREATE INDEX notifications_user ON notifications(user_id, seen)");
      s.execute("CREATE TABLE user_state (user_id BIGINT PRIMARY KEY, last_polled_at TIMESTAMP)");
      s.execute("CREATE TABLE activity (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
          + "room_id BIGINT NOT NULL, kind VARCHAR(16) NOT NULL, "
          + "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
      s.execute("CREATE INDEX activity_room ON activity(room_id)");
    }
  }

  private static void seed(Connection c) throws SQLException {
    Random random = new Random(42);
    c.setAutoCommit(false);
    try (PreparedStatement users = c.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)");
        PreparedStatement state = c.prepareStatement("INSERT INTO user_state (user_id) VALUES (?)")) {
      for (int u = 1; u <= USERS; u++) {
        users.setLong(1, u);
        users.setString(2, "user" + u);
        users.addBatch();
        state.setLong(1, u);
        state.addBatch();
      }
      users.executeBatch();
      state.executeBatch();
    }
    try (PreparedStatement rooms = c.prepareStatement("INSERT INTO rooms (id, name) VALUES (?, ?)")) {
      for (int r = 1; r <= ROOMS; r++) {
        rooms.setLong(1, r);
        rooms.setString(2, "room" + r);
        rooms.addBatch();
      }
      rooms.executeBatch();
    }
    batch(c, "INSERT INTO messages (room_id, author_id, body) VALUES (?, ?, ?)", 8_000, (p, i) -> {
      p.setLong(1, 1 + random.nextInt(ROOMS));
      p.setLong(2, 1 + random.nextInt(USERS));
      p.setString(3, "about the " + WORDS[random.nextInt(WORDS.length)] + " and the "
          + WORDS[random.nextInt(WORDS.length)]);
    });
    batch(c, "INSERT INTO notifications (user_id, message_id, kind, seen) VALUES (?, ?, ?, ?)", 8_000, (p, i) -> {
      p.setLong(1, 1 + random.nextInt(USERS));
      p.setLong(2, 1 + i);
      p.setString(3, random.nextInt(4) == 0 ? "mention" : "reply");
      p.setBoolean(4, random.nextInt(5) != 0);
    });
    batch(c, "INSERT INTO activity (room_id, kind) VALUES (?, ?)", 4_000, (p, i) -> {
      p.setLong(1, 1 + random.nextInt(ROOMS));
      p.setString(2, random.nextBoolean() ? "join" : "reaction");
    });
    c.commit();
    c.setAutoCommit(true);
  }

  private interface Row {
    void set(PreparedStatement p, int index) throws SQLException;
  }

  private static void batch(Connection c, String sql, int rows, Row row) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < rows; i++) {
        row.set(p, i);
        p.addBatch();
        if (i % 1_000 == 999) {
          p.executeBatch();
        }
      }
      p.executeBatch();
    }
  }

  @Override
  public void close() {
    pool.close();
    if (dialect == Dialect.H2) {
      try (Connection c = open(); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      } catch (SQLException e) {
        // the in-memory database is gone with the JVM anyway
      }
    }
  }
}
