package dev.limp.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.DatabaseSignals;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a user's own test looks like: a chat service (chat, CRITICAL_PLUS) and its search (SHEDDABLE) on a
 * HikariCP pool over H2, limp with the default database policy, everything on a driven clock; the drills
 * make search's database work go wrong, and the test asserts that limp sheds search and keeps chat answering.
 */
class DatabaseDrillH2Test {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String CHAT = "SELECT body FROM messages WHERE room = 1 ORDER BY id DESC LIMIT 20";
  private static final String SEARCH = "SELECT id FROM messages WHERE body LIKE '%message 1%'";

  private final DrivenClock clock = new DrivenClock();
  private HikariDataSource hikari;
  private Limp limp;
  private DatabaseMonitor monitor;
  private DatabaseDrill drill;
  private DataSource db;
  private FeatureGuard chat;
  private FeatureGuard search;

  @BeforeEach
  void chatAndSearchOnOnePool() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setPoolName("drill");
    config.setJdbcUrl("jdbc:h2:mem:drill" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(1); // started at once: the monitor times acquisitions from the first tick on
    hikari = new HikariDataSource(config);
    try (Connection c = hikari.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE messages (id BIGINT AUTO_INCREMENT PRIMARY KEY, room INT, body VARCHAR(200))");
      s.execute("INSERT INTO messages (room, body) SELECT MOD(x, 10), 'message ' || x FROM SYSTEM_RANGE(1, 500)");
    }
    limp = Limp.builder().name("drill").clock(clock).governorThread(false)
        .policy(DatabaseSignals.defaultPolicy())
        .feature("chat", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build();
    monitor = DatabaseMonitor.builder(limp).clock(clock).build();
    drill = DatabaseDrill.of(hikari, limp, clock);
    db = monitor.wrap(drill); // the drill beneath the monitor: limp measures it like a real database
    chat = limp.guard("chat");
    search = limp.guard("search");
  }

  @AfterEach
  void close() throws SQLException {
    drill.stopAll();
    monitor.close();
    limp.close();
    try (Connection c = hikari.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP ALL OBJECTS");
    }
    hikari.close();
  }

  private int query(String sql) {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int rows = 0;
      while (rs.next()) {
        rows++;
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One round of traffic, a quarter of a second of driven time: a chat poll, a search, a tick. */
  private void round() {
    assertEquals(20, chat.get(() -> query(CHAT)), "chat answers");
    search.get(() -> query(SEARCH), shed -> -1);
    clock.advanceMillis(250);
    limp.tick();
  }

  @Test
  void aSlowDatabaseShedsSearchWhileChatKeepsAnsweringAndSearchComesBackWhenTheDrillStops() {
    for (int i = 0; i < 8; i++) {
      round();
    }
    assertEquals(Level.NORMAL, limp.level(), "a healthy database: " + limp.status());

    drill.slowStatements(DatabaseDrill.EVERY_FEATURE, Duration.ofMillis(800)); // chat's path is at stake too
    for (int i = 0; i < 20; i++) {
      round();
    }

    assertEquals(FeatureState.SHED, search.state(), "search is shed: " + limp.status());
    assertEquals(FeatureState.ACTIVE, chat.state(), limp.status().toString());
    assertEquals(0, chat.count(dev.limp.CallOutcome.SHED), "no chat call was refused");
    assertTrue(monitor.signals().get(DatabaseSignals.CRITICAL_QUERY_P99) >= 800,
        "limp measured the drill's 800 ms on chat's statements (driven, not waited): " + monitor.signals());

    drill.stopAll(); // the incident is over: search comes back, on evidence, within a few driven minutes
    for (int i = 0; i < 2_400 && search.state() != FeatureState.ACTIVE; i++) {
      round();
    }
    assertEquals(FeatureState.ACTIVE, search.state(), limp.status().toString());
  }

  @Test
  void slowSearchStatementsInAPoolWithSlackShedNothing() {
    // issue 12.7: a feature that is slower but still answered, with connections to spare, is not an incident
    for (int i = 0; i < 8; i++) {
      round();
    }
    drill.slowStatements("search", Duration.ofMillis(800));
    for (int i = 0; i < 20; i++) {
      round();
    }
    assertTrue(monitor.signals().get(DatabaseSignals.QUERY_P99) >= 800, "measured: " + monitor.signals());
    assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
    assertEquals(FeatureState.ACTIVE, search.state(), limp.status().toString());
    assertEquals(0, search.count(dev.limp.CallOutcome.SHED), "every search was answered");
  }

  @Test
  void aSlowAcquireIsMeasuredOnTheDrivenClock() {
    for (int i = 0; i < 8; i++) {
      round();
    }
    drill.slowAcquire("chat", Duration.ofMillis(300));
    for (int i = 0; i < 4; i++) {
      round();
    }
    assertTrue(monitor.signals().get(DatabaseSignals.CRITICAL_ACQUIRE_P99) >= 250, monitor.signals().toString());
    assertNotEquals(Level.NORMAL, limp.level(), "the acquire rule raised the level: " + limp.status());
    assertEquals(FeatureState.ACTIVE, chat.state());
  }

  @Test
  void refusedConnectionsFailWithSqlState08001ForTheDrilledFeatureOnly() {
    drill.refuseConnections("search");

    Exception refused = assertThrows(Exception.class, () -> search.call(() -> {
      try (Connection c = db.getConnection()) {
        return c.isValid(1);
      }
    }));
    assertTrue(refused instanceof SQLException, refused.toString());
    assertEquals(DatabaseDrill.REFUSED_SQLSTATE, ((SQLException) refused).getSQLState());
    assertEquals(20, chat.get(() -> query(CHAT)), "chat still connects");
    limp.tick();
    assertTrue(monitor.activity().acquireFailures() >= 1, monitor.activity().toString());
    assertEquals(FeatureState.ACTIVE, chat.state(), "whatever the level, chat is not shed: " + limp.status());

    drill.stop("search");
    assertTrue(query(SEARCH) > 0, "connections are handed out again");
  }

  @Test
  void heldConnectionsStayWithTheFeatureUntilReleased() throws Exception {
    drill.holdConnections("search");
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> searches = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        searches.add(callers.submit(() -> search.get(() -> query(SEARCH))));
      }
      drill.awaitHeld("search", 3, Duration.ofSeconds(10));
      assertEquals(3L, monitor.activity().connectionsByFeature().get("search"), monitor.activity().toString());
      assertEquals(3, monitor.activity().connectionsInUse());
      assertEquals(20, chat.get(() -> query(CHAT)), "chat gets the pool's last connection");

      drill.release("search");
      for (Future<Integer> s : searches) {
        assertTrue(s.get(10, TimeUnit.SECONDS) > 0);
      }
      assertEquals(0, drill.held("search"));
    } finally {
      drill.stopAll();
      callers.shutdownNow();
    }
  }

  @Test
  void aFeatureLimpDoesNotKnowIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> drill.slowStatements("serach", Duration.ofMillis(5)));
    assertTrue(e.getMessage().contains("'serach'") && e.getMessage().contains("[chat, search]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> drill.slowAcquire("search", Duration.ZERO));
  }
}
