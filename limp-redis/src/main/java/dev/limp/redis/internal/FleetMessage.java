package dev.limp.redis.internal;

import dev.limp.Level;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A change of the fleet's overrides, as stored in the overrides hash and sent on the changes channel: one line
 * of {@code ;}-separated fields, text fields URL-encoded (so no field holds a {@code ;}).
 *
 * <pre>
 * limp1;APPLY;&lt;op&gt;;&lt;target&gt;;&lt;createdAtMs&gt;;&lt;expiresAtMs&gt;;&lt;origin&gt;;&lt;seq&gt;;&lt;actor&gt;;&lt;reason&gt;
 * limp1;RELEASE;&lt;field&gt;;&lt;atMs&gt;;&lt;origin&gt;;&lt;seq&gt;;&lt;actor&gt;        (field * : every override)
 * </pre>
 *
 * The times are Redis's ({@code TIME}), so every instance reads the same expiry. {@link #parse} refuses
 * anything else with an {@link IllegalArgumentException}: a message from Redis is never trusted. Immutable.
 *
 * @param verb what happened
 * @param op what an APPLY does; {@code null} for a release
 * @param field the hash field: {@code level}, {@code feature:<name>}, or {@code *} for every override
 * @param target the level's or feature's name; {@code *} for every override
 * @param atMs when Redis stored it (an APPLY's creation)
 * @param expiresAtMs when an APPLY's override ends, for the whole fleet; 0 for a release
 * @param origin the instance or tool it was issued on
 * @param seq the fleet's sequence number of the change
 * @param actor who asked
 * @param reason why, for an APPLY; empty for a release
 * @param raw the line as read
 */
public record FleetMessage(Verb verb, Op op, String field, String target, long atMs, long expiresAtMs,
    String origin, long seq, String actor, String reason, String raw) {

  /** The format's tag; a message with another tag is foreign. */
  public static final String VERSION = "limp1";
  /** The field that stands for every override, in a release. */
  public static final String ALL = "*";
  /** The hash field of the forced level. */
  public static final String LEVEL_FIELD = "level";
  /** The prefix of a feature's hash field. */
  public static final String FEATURE_FIELD = "feature:";

  /** What happened. */
  public enum Verb {
    APPLY, RELEASE
  }

  /** What an applied override does; each maps to one {@link dev.limp.Overrides} method. */
  public enum Op {
    FORCE_LEVEL, SHED, SHED_TOP_TIER, PIN
  }

  /** The hash field of an override of this kind and target. */
  public static String field(Op op, String target) {
    return op == Op.FORCE_LEVEL ? LEVEL_FIELD : FEATURE_FIELD + target;
  }

  /** The feature a field names, or {@code null} for the level and for every override. */
  public static String featureOf(String field) {
    return field.startsWith(FEATURE_FIELD) ? field.substring(FEATURE_FIELD.length()) : null;
  }

  /** The start of an APPLY, up to the creation time (written by Redis's script). */
  static String applyHead(Op op, String target) {
    return VERSION + ";APPLY;" + op + ";" + enc(target) + ";";
  }

  /** The start of a RELEASE, up to the time (written by Redis's script). */
  static String releaseHead(String field) {
    return VERSION + ";RELEASE;" + enc(field) + ";";
  }

  /** {@code ;<origin>;}: what stands between the times and the sequence number. */
  static String originPart(String origin) {
    return ";" + enc(origin) + ";";
  }

  /** {@code ;<actor>;<reason>}: the end of an APPLY. */
  static String applyTail(String actor, String reason) {
    return ";" + enc(actor) + ";" + enc(reason);
  }

  /** {@code ;<actor>}: the end of a RELEASE. */
  static String releaseTail(String actor) {
    return ";" + enc(actor);
  }

  /**
   * Reads a message.
   *
   * @throws IllegalArgumentException saying what is wrong, for anything not written by limp-redis
   */
  public static FleetMessage parse(String raw) {
    Objects.requireNonNull(raw, "raw");
    if (raw.length() > 64 * 1024) {
      throw new IllegalArgumentException("longer than 64 KiB (" + raw.length() + " characters)");
    }
    String[] p = raw.split(";", -1);
    if (p.length < 2 || !VERSION.equals(p[0])) {
      throw new IllegalArgumentException("not a " + VERSION + " message");
    }
    switch (p[1]) {
      case "APPLY" -> {
        expect(p, 10);
        Op op = op(p[2]);
        String target = text(p[3], "target");
        if (op == Op.FORCE_LEVEL) {
          Level.parse(target);
        }
        long at = number(p[4], "createdAt");
        long expires = number(p[5], "expiresAt");
        if (expires <= at) {
          throw new IllegalArgumentException("expiresAt " + expires + " is not after createdAt " + at);
        }
        return new FleetMessage(Verb.APPLY, op, field(op, target), target, at, expires,
            text(p[6], "origin"), number(p[7], "seq"), text(p[8], "actor"), text(p[9], "reason"), raw);
      }
      case "RELEASE" -> {
        expect(p, 7);
        String field = text(p[2], "field");
        String target;
        if (ALL.equals(field)) {
          target = ALL;
        } else if (LEVEL_FIELD.equals(field)) {
          target = LEVEL_FIELD;
        } else if (field.startsWith(FEATURE_FIELD) && field.length() > FEATURE_FIELD.length()) {
          target = featureOf(field);
        } else {
          throw new IllegalArgumentException("unknown field '" + field + "'");
        }
        return new FleetMessage(Verb.RELEASE, null, field, target, number(p[3], "at"), 0,
            text(p[4], "origin"), number(p[5], "seq"), text(p[6], "actor"), "", raw);
      }
      default -> throw new IllegalArgumentException("unknown verb '" + p[1] + "'");
    }
  }

  private static void expect(String[] p, int n) {
    if (p.length != n) {
      throw new IllegalArgumentException(p[1] + " has " + p.length + " fields, not " + n);
    }
  }

  private static Op op(String s) {
    try {
      return Op.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown operation '" + s + "'", e);
    }
  }

  private static long number(String s, String what) {
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new IllegalArgumentException(what + " is negative: " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is not a number: '" + s + "'", e);
    }
  }

  private static String text(String s, String what) {
    String t = dec(s);
    if (t.isBlank()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    return t;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String dec(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("badly encoded text '" + s + "'", e);
    }
  }
}
