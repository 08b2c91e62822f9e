package dev.limp.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link FleetNode} in a child JVM on the test's class path: sends it commands, reads its answers, and keeps
 * every event it reports with the child's own time stamp. {@link #close()} ends the child (asks, then kills).
 */
final class ForkedMember implements AutoCloseable {
  /** An event the child reported: {@code kind} is "feature" or "level". */
  record Event(String kind, String subject, String state, long epochMicros) {
  }

  private static final Duration ANSWER = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final PrintStream in;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private ForkedMember(String name, Process process) {
    this.name = name;
    this.process = process;
    this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "forked-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the child and waits until it has joined the fleet. */
  static ForkedMember start(RedisFixture redis, String name) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = new File("target/forked-fleet/" + redis.fleet() + "-" + name + ".log");
    log.getParentFile().mkdirs();
    Process p = new ProcessBuilder(java, "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", System.getProperty("java.class.path"),
        FleetNode.class.getName(), RedisFixture.HOST, Integer.toString(redis.port()), redis.fleet(), name)
        .redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
    ForkedMember m = new ForkedMember(name, p);
    try {
      String ready = m.answer();
      if (!ready.startsWith("READY")) {
        throw new AssertionError(name + " did not start: " + ready + " (see " + log + ")");
      }
    } catch (AssertionError | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  String name() {
    return name;
  }

  /** Sends one command and returns its answer (without the leading "R "). */
  String call(String command) {
    in.println(command);
    return answer();
  }

  private String answer() {
    try {
      String a = answers.poll(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
      if (a == null) {
        throw new AssertionError(name + " gave no answer within " + ANSWER.toSeconds() + " s (alive: "
            + process.isAlive() + ")");
      }
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How many events the child has reported so far: a mark for {@link #awaitEvent}. */
  int mark() {
    return events.size();
  }

  /** The first event from {@code mark} on that matches, waiting for it at most {@code timeout}. */
  Event awaitEvent(int mark, Duration timeout, String what, Predicate<Event> match) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Event> e = events.subList(Math.min(mark, events.size()), events.size()).stream().filter(match)
          .findFirst();
      if (e.isPresent()) {
        return e.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + ": not within " + timeout.toMillis() + " ms: " + what + "; events "
            + events.subList(Math.min(mark, events.size()), events.size()));
      }
      synchronized (events) {
        try {
          events.wait(10);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ex);
        }
      }
    }
  }

  /** The first change of {@code feature} to {@code state} ({@code null}: to any state but SHED) from mark on. */
  Event awaitFeature(int mark, String feature, String state, Duration timeout) {
    return awaitEvent(mark, timeout, feature + " " + (state == null ? "not SHED" : state),
        e -> e.kind().equals("feature") && e.subject().equals(feature)
            && (state == null ? !e.state().equals("SHED") : e.state().equals(state)));
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("R ")) {
          answers.add(line.substring(2));
        } else if (line.startsWith("E ")) {
          String[] w = line.split(" ");
          boolean level = w[1].equals("level");
          events.add(level ? new Event("level", name, w[2], Long.parseLong(w[3]))
              : new Event("feature", w[2], w[3], Long.parseLong(w[4])));
          synchronized (events) {
            events.notifyAll();
          }
        }
      }
    } catch (IOException e) {
      // the child ended
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        in.println("exit");
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
