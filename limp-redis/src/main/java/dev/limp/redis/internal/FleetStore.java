package dev.limp.redis.internal;

import dev.limp.redis.FleetAuditEntry;
import dev.limp.redis.FleetOverride;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's overrides and audit in Redis. Each change is one Lua script, so that storing the override,
 * announcing it on the changes channel and auditing it happen together or not at all, in the order Redis ran
 * them, with the time read from Redis's clock. Thread-safe.
 */
public final class FleetStore {
  /** The overrides in force, minus the ones whose expiry is past; the script's shared head. */
  private static final String NOW_AND_PRUNE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local all = redis.call('HGETALL', KEYS[1])
      for i = 1, #all, 2 do
        local e = tonumber(string.match(all[i + 1], '^limp1;APPLY;[^;]*;[^;]*;%d+;(%d+);'))
        if e ~= nil and e <= now then redis.call('HDEL', KEYS[1], all[i]) end
      end
      """;

  private static final String APPLY = NOW_AND_PRUNE + """
      local dur = tonumber(ARGV[3])
      local exp = now + dur
      local seq = redis.call('INCR', KEYS[2])
      local v = ARGV[2] .. string.format('%.0f;%.0f', now, exp) .. ARGV[4] .. seq .. ARGV[5]
      redis.call('HSET', KEYS[1], ARGV[1], v)
      if redis.call('PTTL', KEYS[1]) < dur then redis.call('PEXPIRE', KEYS[1], dur) end
      redis.call('PUBLISH', ARGV[6], v)
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', 'action', ARGV[8], 'target', ARGV[9],
        'actor', ARGV[10], 'origin', ARGV[11], 'reason', ARGV[12], 'expiresAt', string.format('%.0f', exp))
      return v
      """;

  private static final String RELEASE = NOW_AND_PRUNE + """
      if ARGV[11] ~= '' and redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[11] then return 0 end
      local n
      if ARGV[1] == '*' then
        n = redis.call('HLEN', KEYS[1])
        redis.call('DEL', KEYS[1])
      else
        n = redis.call('HDEL', KEYS[1], ARGV[1])
      end
      local seq = redis.call('INCR', KEYS[2])
      redis.call('PUBLISH', ARGV[5], ARGV[2] .. string.format('%.0f', now) .. ARGV[3] .. seq .. ARGV[4])
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'action', ARGV[7], 'target', ARGV[8],
        'actor', ARGV[9], 'origin', ARGV[10], 'reason', '', 'expiresAt', '')
      return n
      """;

  private static final String SNAPSHOT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local e = redis.call('GET', KEYS[3])
      if not e then
        redis.call('SET', KEYS[3], ARGV[1])
        e = ARGV[1]
      end
      local s = redis.call('GET', KEYS[2]) or '0'
      return {string.format('%.0f', now), e, s, redis.call('HGETALL', KEYS[1])}
      """;

  private static final String READ = """
      local t = redis.call('TIME')
      return {string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)),
        redis.call('HGETALL', KEYS[1])}
      """;

  private static final String RESTORE = """
      local n = 0
      local longest = 0
      for i = 1, #ARGV, 3 do
        n = n + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
        local r = tonumber(ARGV[i + 2])
        if r > longest then longest = r end
      end
      if longest > 0 and redis.call('PTTL', KEYS[1]) < longest then redis.call('PEXPIRE', KEYS[1], longest) end
      return n
      """;

  /** The fleet's state as one script read it. */
  public record Snapshot(long nowMillis, String epoch, long seq, Map<String, String> overrides) {
  }

  /**
   * The overrides in force, by Redis's clock.
   *
   * @param overrides the readable ones whose expiry is still ahead, by kind and target
   * @param malformed each unreadable field's name and what is wrong with its value
   */
  public record InForce(List<FleetOverride> overrides, List<String> malformed) {
  }

  private final FleetKeys keys;
  private final RedisLink link;
  private final FleetTime time;
  private final int auditMaxLength;

  public FleetStore(FleetKeys keys, RedisLink link, FleetTime time, int auditMaxLength) {
    this.keys = keys;
    this.link = link;
    this.time = time;
    this.auditMaxLength = auditMaxLength;
  }

  public FleetKeys keys() {
    return keys;
  }

  /**
   * Stores an override for the whole fleet, announces and audits it; its expiry is Redis's time plus
   * {@code durationMillis}.
   *
   * @return the stored message, as every instance reads it
   * @throws dev.limp.redis.FleetUnavailableException if Redis does not take it
   */
  public FleetMessage apply(FleetMessage.Op op, String target, long durationMillis, String reason, String actor,
      String origin) {
    String raw = link.call("fleet " + op + " " + target + " not stored", c -> c.eval(APPLY,
        ScriptOutputType.VALUE, new String[] {keys.overrides(), keys.seq(), keys.audit()},
        FleetMessage.field(op, target), FleetMessage.applyHead(op, target), Long.toString(durationMillis),
        FleetMessage.originPart(origin), FleetMessage.applyTail(actor, reason), keys.changes(),
        Integer.toString(auditMaxLength), op.name(), target, actor, origin, reason));
    return FleetMessage.parse(raw);
  }

  /**
   * Removes the override of a field ({@link FleetMessage#ALL} for every override), announces and audits it.
   *
   * @param expected remove only if the field holds this message ({@code null}: whatever it holds)
   * @return how many overrides there were
   * @throws dev.limp.redis.FleetUnavailableException if Redis does not take it
   */
  public long release(String field, String actor, String origin, String expected) {
    String target = FleetMessage.ALL.equals(field) ? FleetMessage.ALL
        : FleetMessage.LEVEL_FIELD.equals(field) ? FleetMessage.LEVEL_FIELD : FleetMessage.featureOf(field);
    Long n = link.call("fleet release of " + target + " not stored", c -> c.eval(RELEASE,
        ScriptOutputType.INTEGER, new String[] {keys.overrides(), keys.seq(), keys.audit()},
        field, FleetMessage.releaseHead(field), FleetMessage.originPart(origin), FleetMessage.releaseTail(actor),
        keys.changes(), Integer.toString(auditMaxLength),
        FleetMessage.ALL.equals(field) ? "RELEASE_ALL" : "RELEASE", target, actor, origin,
        expected == null ? "" : expected));
    return n == null ? 0 : n;
  }

  /**
   * Reads the overrides in force (raw: the caller parses and judges each), the epoch (made from
   * {@code candidateEpoch} if Redis has none) and the sequence number, and records Redis's time.
   */
  public Snapshot snapshot(String candidateEpoch) {
    long before = time.localMillis();
    List<Object> r = link.call("fleet overrides not read", c -> c.eval(SNAPSHOT, ScriptOutputType.MULTI,
        new String[] {keys.overrides(), keys.seq(), keys.epoch()}, candidateEpoch));
    long after = time.localMillis();
    long now = Long.parseLong((String) r.get(0));
    time.observe(now, before, after);
    refineTime();
    Map<String, String> overrides = new LinkedHashMap<>();
    List<?> flat = (List<?>) r.get(3);
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      overrides.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return new Snapshot(now, (String) r.get(1), Long.parseLong((String) r.get(2)), overrides);
  }

  /**
   * Reads Redis's {@code TIME} again, at most three times, while the offset in use comes from a slow exchange
   * and reading again halves its round trip: the first exchange of a link includes making the connection (and,
   * in a fresh JVM, loading the client), and an offset read in its middle was measured 200 to 330 ms off on one
   * machine. On a link whose round trip is always above {@link FleetTime#GOOD_ROUND_TRIP_MILLIS}, that is one
   * extra {@code TIME} per re-sync.
   */
  private void refineTime() {
    for (int i = 0; i < 3 && time.roundTripMillis() > FleetTime.GOOD_ROUND_TRIP_MILLIS; i++) {
      long kept = time.roundTripMillis();
      long before = time.localMillis();
      List<String> t = link.call("Redis time not read", c -> c.time());
      long after = time.localMillis();
      time.observe(Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000, before, after);
      if (time.roundTripMillis() * 2 > kept) {
        return; // no faster: the link is this slow
      }
    }
  }

  /**
   * Reads the overrides in force without changing anything (the view's read, unlike {@link #snapshot}).
   *
   * @throws dev.limp.redis.FleetUnavailableException if Redis does not answer
   */
  public InForce inForce() {
    List<Object> r = link.call("fleet overrides not read", c -> c.eval(READ, ScriptOutputType.MULTI,
        new String[] {keys.overrides()}));
    long now = Long.parseLong(String.valueOf(r.get(0)));
    List<?> flat = (List<?>) r.get(1);
    List<FleetOverride> overrides = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      String field = String.valueOf(flat.get(i));
      try {
        FleetMessage m = FleetMessage.parse(String.valueOf(flat.get(i + 1)));
        if (m.verb() != FleetMessage.Verb.APPLY || !m.field().equals(field)) {
          throw new IllegalArgumentException("not an override of '" + field + "'");
        }
        if (m.expiresAtMs() > now) {
          overrides.add(new FleetOverride(m.op().name(), m.target(), m.actor(), m.origin(), m.reason(),
              Instant.ofEpochMilli(m.atMs()), Instant.ofEpochMilli(m.expiresAtMs())));
        }
      } catch (IllegalArgumentException e) {
        malformed.add(field + ": " + e.getMessage());
      }
    }
    overrides.sort(Comparator.comparing(FleetOverride::kind).thenComparing(FleetOverride::target));
    return new InForce(List.copyOf(overrides), List.copyOf(malformed));
  }

  /**
   * Puts back overrides that Redis lost, each only where its field is empty.
   *
   * @param held each override's message and its remaining milliseconds
   * @return how many were put back
   */
  public long restore(Map<FleetMessage, Long> held) {
    if (held.isEmpty()) {
      return 0;
    }
    List<String> args = new ArrayList<>();
    held.forEach((m, remaining) -> {
      args.add(m.field());
      args.add(m.raw());
      args.add(Long.toString(remaining));
    });
    Long n = link.call("fleet overrides not restored", c -> c.eval(RESTORE, ScriptOutputType.INTEGER,
        new String[] {keys.overrides()}, args.toArray(new String[0])));
    return n == null ? 0 : n;
  }

  /** The latest {@code count} operator actions, newest first. */
  public List<FleetAuditEntry> audit(int count) {
    List<StreamMessage<String, String>> messages = link.call("fleet audit not read",
        c -> c.xrevrange(keys.audit(), Range.create("-", "+"), Limit.from(count)));
    List<FleetAuditEntry> out = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> m : messages) {
      Map<String, String> b = m.getBody();
      String expires = b.getOrDefault("expiresAt", "");
      out.add(new FleetAuditEntry(m.getId(), Instant.ofEpochMilli(idMillis(m.getId())),
          b.getOrDefault("action", "?"), b.getOrDefault("target", "?"), b.getOrDefault("actor", "?"),
          b.getOrDefault("origin", "?"), b.getOrDefault("reason", ""),
          expires.isEmpty() ? null : Instant.ofEpochMilli(parseOr(expires, 0))));
    }
    return out;
  }

  private static long idMillis(String id) {
    int dash = id.indexOf('-');
    return parseOr(dash < 0 ? id : id.substring(0, dash), 0);
  }

  private static long parseOr(String s, long otherwise) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
