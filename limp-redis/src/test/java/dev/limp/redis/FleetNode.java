package dev.limp.redis;

import dev.limp.FeatureStateChangedEvent;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.OperatorOverride;
import dev.limp.Tier;
import io.lettuce.core.RedisURI;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * One fleet member in a JVM of its own, for {@link ForkedFleetTest}: a limp instance with the test features,
 * joined to the fleet given on the command line, driven by its parent through one line per command on stdin.
 * Answers are lines {@code R …} on stdout; every feature state and level change is a line
 * {@code E feature <name> <state> <epoch µs>} or {@code E level <level> <epoch µs>}, sent as it happens. The log
 * goes to stderr.
 *
 * <pre>
 * java -cp … dev.limp.redis.FleetNode HOST PORT FLEET INSTANCE
 *   shed|pin FEATURE MILLIS REASON…   → R OK &lt;expiry epoch ms&gt;  |  R ERR &lt;exception&gt;: &lt;message&gt;
 *   release FEATURE                   → R OK true|false
 *   state FEATURE | level | connected → R &lt;value&gt;
 *   active                            → R &lt;n&gt; &lt;kind:target:actor:expiry epoch ms&gt;,…
 *   exit                              → leaves the fleet and ends
 * </pre>
 */
public final class FleetNode {
  private FleetNode() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    RedisURI uri = RedisURI.builder().withHost(args[0]).withPort(Integer.parseInt(args[1])).build();
    LimpFleet fleet = LimpFleet.create(FleetConfig.builder(args[2], uri).instanceId(args[3])
        .heartbeatInterval(Duration.ofMillis(200))
        .memberTtl(Duration.ofMillis(1_000))
        .resyncInterval(Duration.ofMillis(500))
        .commandTimeout(Duration.ofMillis(500))
        .build());
    Limp limp = Limp.builder()
        .name(args[3])
        .tickInterval(Duration.ofMillis(20))
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("profile", Tier.CRITICAL)
        .feature("notifications", Tier.SHEDDABLE_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .policy(GovernorPolicy.custom().minDwell(Duration.ofMillis(200)).build())
        .listener(new LimpListener() {
          @Override
          public void onFeatureStateChanged(FeatureStateChangedEvent e) {
            send(out, "E feature " + e.feature() + " " + e.to() + " " + micros(e.at()));
          }

          @Override
          public void onLevelChanged(LevelChangedEvent e) {
            send(out, "E level " + e.to() + " " + micros(Instant.now()));
          }
        })
        .overridesDecorator(fleet::overrides)
        .build();
    fleet.join(limp);
    send(out, "R READY " + fleet.instance());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] w = line.split(" ", 4);
        if (w[0].equals("exit")) {
          break;
        }
        send(out, "R " + answer(w, limp, fleet));
      }
    } finally {
      fleet.close();
      limp.close();
    }
  }

  private static String answer(String[] w, Limp limp, LimpFleet fleet) {
    try {
      switch (w[0]) {
        case "shed":
          return "OK " + limp.overrides().shed(w[1], Duration.ofMillis(Long.parseLong(w[2])), w[3], "alice")
              .expiresAt().toEpochMilli();
        case "pin":
          return "OK " + limp.overrides().pin(w[1], Duration.ofMillis(Long.parseLong(w[2])), w[3], "alice")
              .expiresAt().toEpochMilli();
        case "release":
          return "OK " + limp.overrides().releaseFeature(w[1], "alice");
        case "state":
          return limp.guard(w[1]).state().toString();
        case "level":
          Level level = limp.level();
          return level.toString();
        case "connected":
          return Boolean.toString(fleet.isConnected());
        case "active":
          return limp.overrides().active().size() + " " + limp.overrides().active().stream()
              .map(FleetNode::describe).collect(Collectors.joining(","));
        default:
          return "ERR unknown command " + w[0];
      }
    } catch (RuntimeException e) {
      return "ERR " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ');
    }
  }

  private static String describe(OperatorOverride o) {
    return o.kind() + ":" + o.target() + ":" + o.actor() + ":" + o.expiresAt().toEpochMilli();
  }

  private static long micros(Instant at) {
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
  }

  private static void send(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
    }
  }
}
