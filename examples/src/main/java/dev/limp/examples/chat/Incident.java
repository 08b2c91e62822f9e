package dev.limp.examples.chat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The incidents the demo replays, after the real ones in the design brief. Each is started and lifted on
 * the running application: an index is dropped and a broken query deployed, a batch job holds locks on its
 * own connection, the storage under the pool slows down.
 */
public enum Incident {
  /** The cleanup that lost a pair of parentheses: the notifications query becomes a table scan. */
  TABLE_SCAN("table-scan", "the notifications query loses its parentheses and its index: a table scan "
      + "(plus 400 ms standing for a production-size table) on every poll", List.of("notifications")) {
    @Override
    void start(Context c) throws SQLException {
      c.execute("DROP INDEX notifications_user");
      c.service.scanCostMillis = 400;
      c.service.brokenNotificationsQuery = true;
    }

    @Override
    void lift(Context c) throws SQLException {
      c.service.brokenNotificationsQuery = false;
      c.execute("CREATE INDEX notifications_user ON notifications(user_id, seen)");
    }
  },
  /** The 32 → 64-bit id migration: one table's queries turn slow and pile up until the pool is empty. */
  POOL_EXHAUSTION("pool-exhaustion", "a migration of the messages table makes every search take 1.5 s; "
      + "searches pile up and hold the pool", List.of("search")) {
    @Override
    void start(Context c) {
      c.service.searchCostMillis = 1_500;
    }

    @Override
    void lift(Context c) {
      c.service.searchCostMillis = 0;
    }
  },
  /** A batch job holds row locks; every notifications poll waits for one, holding its connection. */
  LOCK_WAIT("lock-wait", "a batch job updates every row of user_state in one open transaction; each "
      + "notifications poll waits up to 2 s for its row lock, holding a pooled connection", List.of("notifications")) {
    @Override
    void start(Context c) throws SQLException {
      c.lockHolder = c.database.open();
      c.lockHolder.setAutoCommit(false);
      try (Statement s = c.lockHolder.createStatement()) {
        s.executeUpdate("UPDATE user_state SET last_polled_at = CURRENT_TIMESTAMP");
      }
    }

    @Override
    void lift(Context c) throws SQLException {
      if (c.lockHolder != null) {
        c.lockHolder.rollback();
        c.lockHolder.close();
        c.lockHolder = null;
      }
    }
  },
  /** Storage cannot keep up: every statement of every feature is slow, the canary's too. */
  SLOW_DATABASE("slow-database", "the storage cannot keep up: every statement waits 60 ms more, whichever "
      + "feature runs it", List.of("search", "activity", "notifications")) {
    @Override
    void start(Context c) {
      c.database.storageDelayMillis.set(60);
    }

    @Override
    void lift(Context c) {
      c.database.storageDelayMillis.set(0);
    }
  },
  /**
   * The database goes away: every connection is refused and every session terminated, until it is lifted.
   * Not part of the demo (no protection can keep chat answering without a database); the benchmarks'
   * survival harness replays it for 10 s, to see who lets chat back in first when the database returns.
   */
  OUTAGE("outage", "the database refuses every connection and terminates the application's sessions "
      + "(PostgreSQL: ALLOW_CONNECTIONS false and pg_terminate_backend)", List.of()) {
    @Override
    void start(Context c) throws SQLException {
      c.database.startOutage();
    }

    @Override
    void lift(Context c) throws SQLException {
      c.database.endOutage();
    }

    @Override
    public boolean inDemo() {
      return false;
    }
  };

  private final String id;
  private final String description;
  private final List<String> expectedShed;

  Incident(String id, String description, List<String> expectedShed) {
    this.id = id;
    this.description = description;
    this.expectedShed = expectedShed;
  }

  /** The name on the command line. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** The features limp is expected to shed during this incident. */
  public List<String> expectedShed() {
    return expectedShed;
  }

  /** Whether the demo replays it (and {@code all} names it); the benchmarks' harness replays every incident. */
  public boolean inDemo() {
    return true;
  }

  abstract void start(Context c) throws SQLException;

  abstract void lift(Context c) throws SQLException;

  /**
   * The incident of the given name.
   *
   * @throws IllegalArgumentException naming the value and the known incidents
   */
  public static Incident parse(String name) {
    for (Incident i : values()) {
      if (i.id.equalsIgnoreCase(name.trim()) || i.name().equalsIgnoreCase(name.trim())) {
        return i;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Incident i : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(i.id);
    }
    throw new IllegalArgumentException("incident must be one of " + known + " (or all), but was '" + name + "'");
  }

  /**
   * The incidents of a comma-separated list of names, or all of the demo's for {@code all}.
   *
   * @throws IllegalArgumentException naming the value and the known incidents
   */
  public static List<Incident> parseList(String names) {
    if (names.trim().equalsIgnoreCase("all")) {
      List<Incident> demo = new ArrayList<>();
      for (Incident i : values()) {
        if (i.inDemo()) {
          demo.add(i);
        }
      }
      return List.copyOf(demo);
    }
    List<Incident> chosen = new ArrayList<>();
    for (String name : names.split(",")) {
      chosen.add(parse(name));
    }
    return List.copyOf(chosen);
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }

  /** What an incident acts on. */
  static final class Context {
    final ChatDatabase database;
    final JdbcChatService service;
    Connection lockHolder;

    Context(ChatDatabase database, JdbcChatService service) {
      this.database = database;
      this.service = service;
    }

    void execute(String sql) throws SQLException {
      try (Connection c = database.open(); Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }
}
