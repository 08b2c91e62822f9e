package dev.limp.benchmarks;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.ShedFallback;
import dev.limp.Tier;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.LimpFleet;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The guard's cost with the fleet module off and on, in the same run: "on" builds the instance with
 * {@code overridesDecorator(fleet::overrides)} and joins a fleet on Redis (its heartbeat thread running, the
 * shed override stored in Redis), "off" is the plain instance. Nothing on the guard's path may touch the fleet,
 * so the two must be equal within noise. Needs Redis (default {@code redis://127.0.0.1:6379}, or
 * {@code -Dlimp.bench.redis=URI}); the fleet's keys ({@code limp:bench-<random>:}) are deleted at tear-down.
 * {@code java -jar benchmarks/target/benchmarks.jar FleetGuardBenchmark -wi 3 -i 5 -f 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FleetGuardBenchmark {
  @Param({"off", "on"})
  public String fleet;

  private int value;
  private Supplier<Integer> work;
  private Limp limp;
  private LimpFleet membership;
  private RedisURI redis;
  private String fleetName;
  private FeatureGuard withBreaker;
  private FeatureGuard governorOnly;
  private FeatureGuard shed;
  private ShedFallback<Integer> fallback;

  @Setup
  public void setUp() {
    value = 42;
    work = () -> value;
    fallback = reason -> -1;
    LimpBuilder builder = Limp.builder().name("bench").governorThread(false)
        .feature(FeatureConfig.of("breaker", Tier.SHEDDABLE))
        .feature(FeatureConfig.builder("governor-only", Tier.SHEDDABLE).governorOnly().build())
        .feature(FeatureConfig.builder("shed", Tier.SHEDDABLE).governorOnly().build());
    if (fleet.equals("on")) {
      redis = RedisURI.create(System.getProperty("limp.bench.redis", "redis://127.0.0.1:6379"));
      fleetName = "bench-" + UUID.randomUUID().toString().substring(0, 8);
      membership = LimpFleet.create(FleetConfig.builder(fleetName, redis).instanceId("bench").build());
      builder.overridesDecorator(membership::overrides);
    }
    limp = builder.build();
    if (membership != null) {
      membership.join(limp);
      if (!membership.isConnected()) {
        throw new IllegalStateException("fleet=on needs Redis at " + redis + " (-Dlimp.bench.redis=URI)");
      }
    }
    withBreaker = limp.guard("breaker");
    governorOnly = limp.guard("governor-only");
    shed = limp.guard("shed");
    limp.overrides().shed("shed", Duration.ofHours(1), "benchmark", "jmh"); // through Redis when on
  }

  @TearDown
  public void tearDown() {
    if (membership != null) {
      limp.overrides().releaseAll("jmh");
      membership.close();
      RedisClient client = RedisClient.create(redis);
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
          KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches("limp:" + fleetName + ":*"));
          if (!page.getKeys().isEmpty()) {
            c.sync().del(page.getKeys().toArray(new String[0]));
          }
          cursor = page;
        } while (!cursor.isFinished());
      } finally {
        client.shutdown();
      }
    }
    limp.close();
  }

  @Benchmark
  public Integer permittedWithBreaker() {
    return withBreaker.get(work);
  }

  @Benchmark
  public Integer permittedGovernorOnly() {
    return governorOnly.get(work);
  }

  @Benchmark
  public Integer shedFallbackValue() {
    return shed.get(work, fallback);
  }
}
