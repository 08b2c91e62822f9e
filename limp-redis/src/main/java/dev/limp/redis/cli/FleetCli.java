package dev.limp.redis.cli;

import dev.limp.Level;
import dev.limp.LimpClock;
import dev.limp.redis.FleetAuditEntry;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetUnavailableException;
import dev.limp.redis.internal.FleetKeys;
import dev.limp.redis.internal.FleetMessage;
import dev.limp.redis.internal.FleetStore;
import dev.limp.redis.internal.FleetTime;
import dev.limp.redis.internal.Heartbeats;
import dev.limp.redis.internal.RedisLink;
import io.lettuce.core.RedisURI;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fleet's command-line tool: acts on Redis directly, so it works when no instance's JMX or Actuator can be
 * reached. Every live instance applies its overrides within a second, with the same checks as its own
 * commands (an instance that does not know a feature logs and ignores the override).
 *
 * <pre>
 * limp-fleet --redis redis://host:6379 --fleet chat [--actor alice] COMMAND
 *   overrides                                   the overrides in force
 *   members                                     the live instances: level, shed features, signals
 *   audit [N]                                   the latest N operator actions (default 20)
 *   force-level LEVEL DURATION REASON…          e.g. force-level SHED_SHEDDABLE 15m storage is slow
 *   shed FEATURE DURATION REASON…
 *   shed-top-tier FEATURE DURATION REASON…
 *   pin FEATURE DURATION REASON…
 *   release level|FEATURE
 *   release-all
 * </pre>
 *
 * The same view (members, overrides in force, audit) is on each instance's Actuator endpoint
 * ({@code /actuator/limp/fleet}) and, over JMX, on {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<id>}
 * (see {@link dev.limp.redis.jmx.FleetJmx}).
 *
 * <p>DURATION is {@code 90s}, {@code 15m}, {@code 2h} or ISO-8601 ({@code PT15M}). The Redis URI may also come from
 * {@code LIMP_REDIS_URI} (an ACL user and password, {@code rediss://} for TLS). Exit status: 0 done, 1 Redis
 * refused or could not be reached, 2 a usage error.
 */
public final class FleetCli {
  private FleetCli() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv("LIMP_REDIS_URI")));
  }

  /** Runs one command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err, String uriFromEnv) {
    String uri = uriFromEnv;
    String fleet = null;
    String actor = "cli:" + System.getProperty("user.name", "unknown");
    List<String> rest = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--redis" -> uri = value(args, ++i, "--redis");
          case "--fleet" -> fleet = value(args, ++i, "--fleet");
          case "--actor" -> actor = value(args, ++i, "--actor");
          default -> rest.add(args[i]);
        }
      }
      if (uri == null || fleet == null || rest.isEmpty()) {
        throw new IllegalArgumentException("need --redis URI (or LIMP_REDIS_URI), --fleet NAME and a command");
      }
      FleetConfig config = FleetConfig.builder(fleet, RedisURI.create(uri)).build();
      try (RedisLink link = new RedisLink(config, null, null)) {
        return command(config, link, actor, rest, out);
      }
    } catch (FleetUnavailableException e) {
      err.println("limp-fleet: " + e.getMessage());
      return 1;
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("limp-fleet: " + e.getMessage());
      err.println("usage: limp-fleet --redis URI --fleet NAME [--actor NAME] overrides | members | audit [N] | "
          + "force-level LEVEL DURATION REASON | shed|shed-top-tier|pin FEATURE DURATION REASON | "
          + "release level|FEATURE | release-all");
      err.println("(each instance shows the same view at /actuator/limp/fleet and over JMX as "
          + "dev.limp:type=LimpFleet,name=<fleet>,instance=<id>)");
      return 2;
    }
  }

  private static int command(FleetConfig config, RedisLink link, String actor, List<String> a, PrintStream out) {
    FleetKeys keys = new FleetKeys(config.fleet());
    FleetTime time = new FleetTime(LimpClock.system());
    FleetStore store = new FleetStore(keys, link, time, config.auditMaxLength());
    String origin = "cli@" + hostName();
    String verb = a.get(0);
    switch (verb) {
      case "overrides" -> {
        arity(a, 1, 1);
        FleetStore.InForce in = store.inForce();
        in.overrides().forEach(out::println);
        in.malformed().forEach(bad -> out.println("(ignored: malformed entry " + bad + ")"));
        if (in.overrides().isEmpty()) {
          out.println("no overrides in force in fleet '" + config.fleet() + "'");
        }
      }
      case "members" -> {
        arity(a, 1, 1);
        List<FleetMember> members = new Heartbeats(keys, link, config.memberTtl()).members();
        for (FleetMember m : members) {
          List<String> shed = m.features().entrySet().stream().filter(f -> !f.getValue().equals("ACTIVE"))
              .map(f -> f.getKey() + "=" + f.getValue()).toList();
          out.println(m.instance() + "  " + m.level() + (m.followsFleet() ? " (follows the fleet)" : "")
              + "  overrides=" + m.overrides() + "  not admitted=" + shed + "  signals=" + m.signals()
              + "  seen " + m.seenAt() + " (" + m.age().toMillis() + " ms ago)");
        }
        out.println(members.size() + " live instance(s) in fleet '" + config.fleet() + "'");
      }
      case "audit" -> {
        arity(a, 1, 2);
        int n = a.size() == 2 ? Integer.parseInt(a.get(1)) : 20;
        if (n < 1 || n > 10_000) {
          throw new IllegalArgumentException("N must be between 1 and 10000, but was " + n);
        }
        for (FleetAuditEntry e : store.audit(n)) {
          out.println(e);
        }
      }
      case "force-level", "shed", "shed-top-tier", "pin" -> {
        if (a.size() < 4) {
          throw new IllegalArgumentException(verb + " needs a target, a duration and a reason");
        }
        FleetMessage.Op op = FleetMessage.Op.valueOf(verb.toUpperCase(Locale.ROOT).replace('-', '_'));
        String target = op == FleetMessage.Op.FORCE_LEVEL ? Level.parse(a.get(1)).name() : a.get(1);
        Duration d = duration(a.get(2));
        String reason = String.join(" ", a.subList(3, a.size()));
        FleetMessage m = store.apply(op, target, d.toMillis(), reason, actor, origin);
        out.println("stored " + m.op() + " " + m.target() + " until " + Instant.ofEpochMilli(m.expiresAtMs())
            + " (seq " + m.seq() + "); every live instance applies it within a second");
      }
      case "release" -> {
        arity(a, 2, 2);
        String field = a.get(1).equals(FleetMessage.LEVEL_FIELD) ? FleetMessage.LEVEL_FIELD
            : FleetMessage.field(FleetMessage.Op.SHED, a.get(1));
        long n = store.release(field, actor, origin, null);
        out.println(n == 0 ? "no such override was in force in the fleet (the release was sent anyway)"
            : "released " + a.get(1));
      }
      case "release-all" -> {
        arity(a, 1, 1);
        out.println("released " + store.release(FleetMessage.ALL, actor, origin, null) + " override(s)");
      }
      default -> throw new IllegalArgumentException("unknown command '" + verb + "'");
    }
    return 0;
  }

  /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d} or ISO-8601; positive. */
  static Duration duration(String s) {
    Duration d;
    try {
      if (s.startsWith("P") || s.startsWith("p")) {
        d = Duration.parse(s);
      } else {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        d = switch (s.charAt(s.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default -> throw new IllegalArgumentException("unit");
        };
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("DURATION must be like 90s, 15m, 2h or PT15M, but was '" + s + "'", e);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("DURATION must be positive, but was '" + s + "'");
    }
    return d;
  }

  private static void arity(List<String> a, int min, int max) {
    if (a.size() < min || a.size() > max) {
      throw new IllegalArgumentException(a.get(0) + " takes " + (min - 1) + (max > min ? " to " + (max - 1) : "")
          + " argument(s), but got " + (a.size() - 1));
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? "local" : host.replaceAll("[^A-Za-z0-9._\\-]", "-");
  }
}
