package dev.limp.examples.chat;

import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.examples.chat.RunResult.Decision;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What a {@link ChatProtection} is given for one run: the application's pool, a way to make the plain chat
 * service, and the place to report its decisions (timed from the start of the run's load). Thread-safe:
 * decisions may be reported from any thread.
 */
public final class ProtectionContext {
  /** Wipes the live status line before a narrated one, on a terminal. */
  static final String CLEAR_LINE = System.console() != null ? "\r\033[K" : "";

  private final ChatDatabase database;
  private final String runName;
  private final PrintStream narrator;
  private final List<Decision> decisions = new ArrayList<>();
  /** Each feature's last change, and the last level change, warm-up included: how the recorded run starts. */
  private final Map<String, Decision> lastChange = new LinkedHashMap<>();
  private Decision lastLevel;
  private volatile long t0 = System.nanoTime();
  private volatile boolean warmingUp = true;
  private JdbcChatService service;

  ProtectionContext(ChatDatabase database, String runName, PrintStream narrator) {
    this.database = database;
    this.runName = runName;
    this.narrator = narrator;
  }

  /** A name unique to the run (for instance names, pool names, metric names). */
  public String runName() {
    return runName;
  }

  /** The application's HikariCP pool of {@link ChatDatabase#POOL_SIZE} connections. */
  public DataSource pool() {
    return database.pool;
  }

  /**
   * The chat service over plain JDBC on {@code dataSource} (the pool, or a wrapper of it). Called once per
   * run: the incidents act on this service.
   *
   * @throws IllegalStateException if the service was made already
   */
  public synchronized ChatService serviceOver(DataSource dataSource) {
    if (service != null) {
      throw new IllegalStateException("the chat service of run " + runName + " was made already");
    }
    service = new JdbcChatService(dataSource, database.dialect);
    return service;
  }

  synchronized JdbcChatService service() {
    if (service == null) {
      throw new IllegalStateException("the protection of run " + runName + " did not make the chat service "
          + "with serviceOver(DataSource)");
    }
    return service;
  }

  /** Reports that a feature's protective state changed: shed or open (SHED), ramping or half-open, active. */
  public void featureChanged(String feature, FeatureState to, String reason, boolean shadow) {
    long at = millisSinceStart();
    record(new Decision(at, feature, null, to, reason == null ? "" : reason, shadow));
    say(at, (shadow ? "would set " : "") + feature + " → " + to
        + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"));
  }

  /** Reports a change of limp's level. */
  public void levelChanged(Level from, Level to, String reason, boolean shadow) {
    long at = millisSinceStart();
    record(new Decision(at, null, to, null, reason, shadow));
    say(at, "level " + from + " → " + to + (shadow ? " (shadow: nothing shed)" : "") + ": " + reason);
  }

  private synchronized void record(Decision d) {
    if (!warmingUp) {
      decisions.add(d);
    } else if (d.feature() != null) {
      lastChange.put(d.feature(), d);
    } else {
      lastLevel = d;
    }
  }

  private void say(long at, String line) {
    if (narrator != null && !warmingUp) {
      narrator.printf(Locale.ROOT, CLEAR_LINE + "    %6.1f s  %s%n", at / 1000.0, line);
    }
  }

  /** Starts the recorded run: what was decided while the pool filled and the code warmed up is not part of it. */
  synchronized void startRecording(long startNanos) {
    t0 = startNanos;
    decisions.clear();
    // what the warm-up left behind is where the run starts: a level above NORMAL, a feature not ACTIVE
    if (lastLevel != null && lastLevel.level() != Level.NORMAL) {
      decisions.add(new Decision(0, null, lastLevel.level(), null, "already so as the run started: "
          + lastLevel.reason(), lastLevel.shadow()));
    }
    for (Decision d : lastChange.values()) {
      if (d.state() != FeatureState.ACTIVE) {
        decisions.add(new Decision(0, d.feature(), null, d.state(), "already so as the run started"
            + (d.reason().isEmpty() ? "" : ": " + d.reason()), d.shadow()));
      }
    }
    warmingUp = false;
  }

  synchronized List<Decision> decisions() {
    return new ArrayList<>(decisions);
  }

  long millisSinceStart() {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
