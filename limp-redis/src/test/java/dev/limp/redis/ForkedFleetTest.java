package dev.limp.redis;

import static dev.limp.redis.TestFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.redis.ForkedMember.Event;
import dev.limp.redis.internal.FleetMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three instances in three JVMs on one Redis (a redis-server of the class's own, so that it can be shut down in
 * the middle without touching the shared one): each a {@link FleetNode} in a child process.
 */
class ForkedFleetTest {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.ownServer();

  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration GENEROUS = Duration.ofSeconds(5);
  private final List<ForkedMember> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(ForkedMember::close);
    members.clear();
    REDIS.ensureRunning();
  }

  private ForkedMember start(String name) throws IOException {
    ForkedMember m = ForkedMember.start(REDIS, name);
    members.add(m);
    return m;
  }

  private List<ForkedMember> startThree() throws IOException {
    return List.of(start("a"), start("b"), start("c"));
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  @Test
  void anOverrideOnOneJvmReachesTheOthersWithinASecond() throws IOException {
    List<ForkedMember> all = startThree();
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ForkedMember from = all.get(i % 3);
      boolean shed = i % 2 == 0;
      int[] marks = all.stream().mapToInt(ForkedMember::mark).toArray();
      long sent = nowMicros();
      String answer = from.call(shed ? "shed search 300000 round " + i : "release search");
      assertTrue(answer.startsWith("OK"), answer);
      for (int j = 0; j < 3; j++) {
        ForkedMember m = all.get(j);
        if (m != from) {
          Event seen = m.awaitFeature(marks[j], "search", shed ? "SHED" : null, GENEROUS);
          micros.add(seen.epochMicros() - sent);
        }
      }
    }
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    long p50 = sorted[sorted.length / 2];
    long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
    System.out.printf(Locale.ROOT, "fleet propagation, 3 instances in 3 JVMs, %d samples: p50 %.2f ms, p99 %.2f ms,"
        + " max %.2f ms%n", sorted.length, p50 / 1000.0, p99 / 1000.0, sorted[sorted.length - 1] / 1000.0);
    assertTrue(p99 < 1_000_000, "99 % of the propagations within 1 s: " + Arrays.toString(sorted));
  }

  @Test
  void aLateJoinerInItsOwnJvmPicksUpTheOverridesInForce() throws IOException {
    ForkedMember a = start("a");
    start("b");
    long expiry = Long.parseLong(a.call("shed notifications 300000 incident 42").substring(3));
    assertTrue(a.call("pin search 300000 keep search").startsWith("OK"));
    ForkedMember late = start("late");
    assertEquals("SHED", late.call("state notifications"), "applied before join returns");
    String[] active = late.call("active").split(" ", 2);
    assertEquals("2", active[0], Arrays.toString(active));
    String shed = Arrays.stream(active[1].split(",")).filter(o -> o.startsWith("SHED_FEATURE:notifications:"))
        .findFirst().orElseThrow();
    assertTrue(shed.contains(":fleet:a/alice:"), shed);
    long lateExpiry = Long.parseLong(shed.substring(shed.lastIndexOf(':') + 1));
    assertTrue(Math.abs(lateExpiry - expiry) < 100, "the same expiry: " + expiry + " vs " + lateExpiry);
  }

  @Test
  void anExpiryIsSeenInEveryJvmAtTheFleetsMoment() throws IOException {
    List<ForkedMember> all = startThree();
    int[] marks = all.stream().mapToInt(ForkedMember::mark).toArray();
    assertTrue(all.get(0).call("shed search 1500 short").startsWith("OK"));
    for (int j = 0; j < 3; j++) {
      all.get(j).awaitFeature(marks[j], "search", "SHED", SECOND);
    }
    long fleetExpiry = FleetMessage.parse(REDIS.redis().hget("limp:" + REDIS.fleet() + ":overrides",
        "feature:search")).expiresAtMs();
    long[] offsets = new long[3];
    for (int j = 0; j < 3; j++) {
      Event back = all.get(j).awaitFeature(marks[j], "search", null, GENEROUS);
      offsets[j] = back.epochMicros() / 1_000 - fleetExpiry;
    }
    long spread = Arrays.stream(offsets).max().getAsLong() - Arrays.stream(offsets).min().getAsLong();
    System.out.println("fleet expiry in 3 JVMs: ms after the fleet's expiry " + Arrays.toString(offsets)
        + ", spread " + spread + " ms");
    // the tick is 20 ms; the bounds leave room for a busy machine, not for an instance on its own clock
    for (long offset : offsets) {
      assertTrue(offset >= -50 && offset <= 250, "each instance ends it at the fleet's expiry: "
          + Arrays.toString(offsets));
    }
    assertTrue(spread < 150, "expired within 150 ms of each other: " + Arrays.toString(offsets));
  }

  @Test
  void redisShutDownAndRestartedInTheMiddleLosesNothingAndLeavesNothingStuck() throws Exception {
    List<ForkedMember> all = startThree();
    ForkedMember a = all.get(0);
    ForkedMember b = all.get(1);
    ForkedMember c = all.get(2);
    int[] marks = all.stream().mapToInt(ForkedMember::mark).toArray();
    assertTrue(a.call("shed notifications 300000 incident").startsWith("OK"));
    assertTrue(a.call("shed search 2500 short one").startsWith("OK"));
    for (int j = 0; j < 3; j++) {
      all.get(j).awaitFeature(marks[j], "search", "SHED", SECOND);
      all.get(j).awaitFeature(marks[j], "notifications", "SHED", SECOND);
    }

    REDIS.stop();
    String refused = b.call("shed profile 60000 while down");
    assertTrue(refused.startsWith("ERR FleetUnavailableException"), refused);
    assertEquals("ACTIVE", b.call("state profile"), "a refused fleet command changes nothing locally");
    for (int j = 0; j < 3; j++) {
      all.get(j).awaitFeature(marks[j], "search", null, GENEROUS); // expired on time, Redis or not
      assertEquals("SHED", all.get(j).call("state notifications"));
    }

    REDIS.ensureRunning();
    long back = System.nanoTime();
    String overrides = "limp:" + REDIS.fleet() + ":overrides";
    await("the override in force back in Redis", GENEROUS, () -> REDIS.redis().hexists(overrides,
        "feature:notifications"));
    for (ForkedMember m : all) {
      await(m.name() + " connected again", GENEROUS, () -> m.call("connected").equals("true"));
    }
    long resynced = (System.nanoTime() - back) / 1_000_000;
    System.out.println("3 JVMs re-synced " + resynced + " ms after Redis answered again");
    assertTrue(resynced <= 5_000, "re-sync within 5 s of Redis coming back, but took " + resynced + " ms");

    int[] again = all.stream().mapToInt(ForkedMember::mark).toArray();
    await("c's fleet command taken", GENEROUS, () -> c.call("shed profile 60000 after the restart")
        .startsWith("OK"));
    a.awaitFeature(again[0], "profile", "SHED", SECOND);
    b.awaitFeature(again[1], "profile", "SHED", SECOND);
    for (ForkedMember m : all) {
      String active = m.call("active");
      assertTrue(active.startsWith("2 "), m.name() + ": " + active);
      assertEquals("ACTIVE", m.call("state search"), m.name() + ": nothing stuck");
    }
    assertEquals(2L, REDIS.redis().hlen(overrides));
  }

  @Test
  void aMalformedOrForeignMessageIsIgnoredInEveryJvm() throws IOException {
    List<ForkedMember> all = startThree();
    String prefix = "limp:" + REDIS.fleet() + ":";
    long inAMinute = System.currentTimeMillis() + 60_000;
    REDIS.redis().publish(prefix + "changes", "hello");
    REDIS.redis().publish(prefix + "changes", "limp1;APPLY;SHED;search;notanumber;1;x;99;y;z");
    REDIS.redis().publish(prefix + "changes", "limp1;APPLY;SHED;reports;1;" + inAMinute + ";x;99;y;z");
    REDIS.redis().hset(prefix + "overrides", "feature:search", "limp1;APPLY;PIN;profile;1;" + inAMinute
        + ";x;1;y;z");
    REDIS.redis().hset(prefix + "overrides", "garbage", "\u0000\u0001");
    int[] marks = all.stream().mapToInt(ForkedMember::mark).toArray();
    assertTrue(all.get(0).call("shed notifications 60000 after the garbage").startsWith("OK"));
    for (int j = 1; j < 3; j++) {
      all.get(j).awaitFeature(marks[j], "notifications", "SHED", SECOND);
    }
    // a re-sync with the garbage in the hash: the entry removed without a message is released everywhere
    REDIS.redis().hdel(prefix + "overrides", "feature:notifications");
    for (int j = 0; j < 3; j++) {
      all.get(j).awaitFeature(marks[j], "notifications", null, GENEROUS);
    }
    for (ForkedMember m : all) {
      assertEquals("0 ", m.call("active"), m.name());
      assertEquals("ACTIVE", m.call("state search"), m.name());
      assertTrue(m.call("state reports").startsWith("ERR"), "nothing read from Redis creates a feature");
    }
  }
}
