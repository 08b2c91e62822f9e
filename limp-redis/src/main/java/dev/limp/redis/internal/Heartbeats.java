package dev.limp.redis.internal;

import dev.limp.LimpStatus;
import dev.limp.redis.FleetMember;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The fleet view in Redis: each member's heartbeat is a hash with a TTL ({@code limp:<fleet>:member:<id>}),
 * indexed by a sorted set of ids by the Redis time of their latest heartbeat. A member that stops drops out
 * when its hash expires, and from the index at the next heartbeat of anyone. Thread-safe.
 */
public final class Heartbeats {
  private static final String WRITE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local ttl = tonumber(ARGV[1])
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 'seenAt', string.format('%.0f', now), unpack(ARGV, 3))
      redis.call('PEXPIRE', KEYS[1], ttl)
      redis.call('ZADD', KEYS[2], now, ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ttl)
      redis.call('PEXPIRE', KEYS[2], ttl)
      return now
      """;

  private static final String READ = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local ids = redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf')
      local out = {string.format('%.0f', now)}
      for _, id in ipairs(ids) do
        local h = redis.call('HGETALL', ARGV[2] .. id)
        if #h > 0 then
          table.insert(out, id)
          table.insert(out, h)
        end
      end
      return out
      """;

  private static final String LEAVE = """
      redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      return 1
      """;

  private final FleetKeys keys;
  private final RedisLink link;
  private final Duration ttl;

  public Heartbeats(FleetKeys keys, RedisLink link, Duration ttl) {
    this.keys = keys;
    this.link = link;
    this.ttl = ttl;
  }

  /** Writes this instance's heartbeat. */
  public void publish(String instance, LimpStatus status) {
    Map<String, String> fields = MemberCodec.fields(status);
    List<String> args = new ArrayList<>(2 + fields.size() * 2);
    args.add(Long.toString(ttl.toMillis()));
    args.add(instance);
    fields.forEach((k, v) -> {
      args.add(k);
      args.add(v);
    });
    link.call("heartbeat not written", c -> c.eval(WRITE, ScriptOutputType.INTEGER,
        new String[] {keys.member(instance), keys.members()}, args.toArray(new String[0])));
  }

  /** Takes this instance out of the view at once. */
  public void leave(String instance) {
    link.call("heartbeat not removed", c -> c.eval(LEAVE, ScriptOutputType.INTEGER,
        new String[] {keys.member(instance), keys.members()}, instance));
  }

  /** The live members, by id, each with its heartbeat's age by Redis's clock. */
  public List<FleetMember> members() {
    List<Object> flat = link.call("fleet view not read", c -> c.eval(READ, ScriptOutputType.MULTI,
        new String[] {keys.members()}, Long.toString(ttl.toMillis()), keys.memberPrefix()));
    long now = Long.parseLong(String.valueOf(flat.get(0)));
    List<FleetMember> out = new ArrayList<>();
    for (int i = 1; i + 1 < flat.size(); i += 2) {
      FleetMember m = MemberCodec.member(String.valueOf(flat.get(i)), (List<?>) flat.get(i + 1), now);
      if (m != null) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing(FleetMember::instance));
    return out;
  }
}
