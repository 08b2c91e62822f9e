package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.internal.AnsweredFailures;
import dev.limp.testing.FakeClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression for "features back 15 s after the outage": the connections the database refused during an outage
 * stayed in {@code db.acquire.timeouts} for the whole 10 s window after it answered again, and held the level
 * up. Refusals the database has answered (a connection acquired that began after the last refusal, and no
 * refusal for {@link AnsweredFailures#QUIET}) stop counting; the pool's own timeouts, with every connection
 * busy, count for the whole window as before. A real HikariCP pool over an H2 database that does not exist
 * during the outage; limp and the monitor on a fake clock.
 */
@Timeout(60)
class AnsweredRefusalsH2Test {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final FakeClock clock = new FakeClock();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  /** A lazily started pool of {@code size} connections over {@code url}, whatever the database's state. */
  private HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(250);
    config.setInitializationFailTimeout(-1); // start although the database refuses: the outage is on
    return closeLater(new HikariDataSource(config));
  }

  private DataSource monitored(Limp limp, HikariDataSource pool) {
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).clock(clock)
        .window(Duration.ofSeconds(10), 10).build());
    return monitor.wrap(pool);
  }

  private Limp limp() {
    return closeLater(Limp.builder().name("h2-answered").clock(clock).governorThread(false)
        .policy(DatabaseSignals.defaultPolicy()).feature("chat.post", Tier.CRITICAL_PLUS).build());
  }

  private double timeouts(Limp limp) {
    limp.tick();
    return limp.signals().get(DatabaseSignals.ACQUIRE_TIMEOUTS);
  }

  @Test
  void refusalsStopCountingOnceTheDatabaseHasAnsweredThemWhileTheWindowStillHoldsThem() throws Exception {
    String name = "answered-" + DATABASES.incrementAndGet();
    Limp limp = limp();
    DataSource ds = monitored(limp, pool("jdbc:h2:mem:" + name + ";IFEXISTS=TRUE", 2));

    for (int i = 0; i < 3; i++) { // the outage: the database does not exist, every connect is refused
      SQLException refused = assertThrows(SQLException.class, ds::getConnection);
      assertNotNull(refused.getCause(), "HikariCP's timeout carries the connection failure behind it");
    }
    assertEquals(3, timeouts(limp), "the refusals count while the database refuses");

    // the database is back; a connection acquired after the last refusal answers it
    Connection keeper = closeLater(DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
        "sa", ""));
    int refusals = 3;
    for (boolean connected = false; !connected; ) { // the pool's connection creator may still be backing off
      clock.advance(Duration.ofMillis(1));
      try (Connection c = ds.getConnection()) {
        connected = c.isValid(1);
      } catch (SQLException stillBackingOff) {
        refusals++;
        assertTrue(refusals < 100, "the pool never connected to the database that is back");
      }
    }
    assertEquals(refusals, timeouts(limp), "not before the quiet period: one success does not make a database well");
    clock.advance(Duration.ofNanos(AnsweredFailures.QUIET));
    assertEquals(0, timeouts(limp), "answered: the refusals no longer say anything about the database now");
    assertEquals(refusals, activity(limp).acquireFailures(), "the window still shows what happened");
    keeper.close();
  }

  @Test
  void thePoolsOwnTimeoutsWithEveryConnectionBusyCountForTheWholeWindowWhateverSucceeds() throws Exception {
    String name = "busy-" + DATABASES.incrementAndGet();
    closeLater(DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", ""));
    Limp limp = limp();
    DataSource ds = monitored(limp, pool("jdbc:h2:mem:" + name, 1));

    try (Connection held = ds.getConnection()) {
      held.isValid(1);
      assertThrows(SQLException.class, ds::getConnection, "the only connection is busy: the pool times out");
    }
    clock.advance(Duration.ofMillis(100));
    try (Connection c = ds.getConnection()) {
      c.isValid(1);
    }
    clock.advance(Duration.ofNanos(AnsweredFailures.QUIET).plusSeconds(1));
    assertEquals(1, timeouts(limp), "a pool that ran out of connections is pressure, answered or not");
  }

  private DatabaseActivity activity(Limp limp) {
    for (AutoCloseable r : resources) {
      if (r instanceof DatabaseMonitor m) {
        return m.activity();
      }
    }
    throw new IllegalStateException("no monitor for " + limp.name());
  }
}
