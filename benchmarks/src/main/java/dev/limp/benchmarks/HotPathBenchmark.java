package dev.limp.benchmarks;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.ShedFallback;
import dev.limp.Tier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one protected call of the same trivial work, for limp's guard and for what a user would
 * pick instead. Run at 1 and 2 threads with allocation:
 * {@code java -jar benchmarks/target/benchmarks.jar HotPathBenchmark -t 1 -prof gc} (and {@code -t 2}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {
  private int value;
  private Supplier<Integer> work;

  private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker;
  private Supplier<Integer> r4jDecorated;
  private Supplier<Integer> r4jWithBulkhead;
  private Supplier<Integer> r4jOpen;

  private SimpleLimiter<Void> limiter;
  private CircuitBreaker<Object> failsafeBreaker;
  private FailsafeExecutor<Object> failsafe;

  private Limp limp;
  private FeatureGuard withBreaker;
  private FeatureGuard withBreakerAndBulkhead;
  private FeatureGuard governorOnly;
  private FeatureGuard shed;
  private FeatureGuard shedStale;
  private ShedFallback<Integer> fallback;

  @Setup
  public void setUp() {
    value = 42;
    work = () -> value;

    r4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bare", FeatureConfig.DEFAULT_CIRCUIT_BREAKER);
    r4jDecorated = r4jBreaker.decorateSupplier(work);
    Bulkhead bulkhead = Bulkhead.of("bare", BulkheadConfig.custom().maxConcurrentCalls(64)
        .maxWaitDuration(Duration.ZERO).build());
    io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker2 =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of("bare2", FeatureConfig.DEFAULT_CIRCUIT_BREAKER);
    r4jWithBulkhead = Bulkhead.decorateSupplier(bulkhead, r4jBreaker2.decorateSupplier(work));
    io.github.resilience4j.circuitbreaker.CircuitBreaker open =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of("open", FeatureConfig.DEFAULT_CIRCUIT_BREAKER);
    open.transitionToForcedOpenState();
    r4jOpen = open.decorateSupplier(work);

    limiter = SimpleLimiter.newBuilder().build();
    failsafeBreaker = CircuitBreaker.builder().withFailureThreshold(25, 50).withDelay(Duration.ofSeconds(10))
        .build();
    failsafe = Failsafe.with(failsafeBreaker);

    limp = Limp.builder().name("bench").governorThread(false)
        .feature(FeatureConfig.of("breaker", Tier.SHEDDABLE))
        .feature(FeatureConfig.builder("breaker-bulkhead", Tier.SHEDDABLE).bulkhead(64).build())
        .feature(FeatureConfig.builder("governor-only", Tier.SHEDDABLE).governorOnly().build())
        .feature(FeatureConfig.builder("shed", Tier.SHEDDABLE).governorOnly().build())
        .feature(FeatureConfig.builder("shed-stale", Tier.SHEDDABLE).governorOnly()
            .staleValues(Duration.ofHours(1), 100).build())
        .build();
    withBreaker = limp.guard("breaker");
    withBreakerAndBulkhead = limp.guard("breaker-bulkhead");
    governorOnly = limp.guard("governor-only");
    shed = limp.guard("shed");
    shedStale = limp.guard("shed-stale");
    shedStale.get("key", work); // remember a value, then shed
    limp.overrides().shed("shed", Duration.ofHours(1), "benchmark", "jmh");
    limp.overrides().shed("shed-stale", Duration.ofHours(1), "benchmark", "jmh");
    fallback = reason -> -1;
  }

  @TearDown
  public void tearDown() {
    limp.close();
  }

  @Benchmark
  public Integer direct() {
    return work.get();
  }

  @Benchmark
  public Integer resilience4jBreaker() {
    return r4jDecorated.get();
  }

  @Benchmark
  public Integer resilience4jBreakerAndBulkhead() {
    return r4jWithBulkhead.get();
  }

  /**
   * What a resilience4j user's shed path costs: the open breaker refuses the call by throwing
   * {@link CallNotPermittedException} (with a stack trace, resilience4j's default), and the caller's catch
   * returns the fallback value.
   */
  @Benchmark
  public Integer resilience4jOpenBreakerFallback() {
    try {
      return r4jOpen.get();
    } catch (CallNotPermittedException refused) {
      return -1;
    }
  }

  @Benchmark
  public Integer sentinelEntryNoRules() {
    Entry entry = null;
    try {
      entry = SphU.entry("bench");
      return work.get();
    } catch (BlockException blocked) {
      return -1;
    } finally {
      if (entry != null) {
        entry.exit();
      }
    }
  }

  @Benchmark
  public Integer concurrencyLimitsSimpleLimiter() {
    Optional<Limiter.Listener> listener = limiter.acquire(null);
    if (listener.isEmpty()) {
      return -1;
    }
    try {
      return work.get();
    } finally {
      listener.get().onSuccess();
    }
  }

  @Benchmark
  public Integer failsafeBreakerExecutor() {
    return failsafe.get(work::get);
  }

  @Benchmark
  public Integer failsafeBreakerManualPermit() {
    if (!failsafeBreaker.tryAcquirePermit()) {
      return -1;
    }
    Integer result = work.get();
    failsafeBreaker.recordSuccess();
    return result;
  }

  @Benchmark
  public Integer limpPermittedWithBreaker() {
    return withBreaker.get(work);
  }

  @Benchmark
  public Integer limpPermittedWithBreakerAndBulkhead() {
    return withBreakerAndBulkhead.get(work);
  }

  @Benchmark
  public Integer limpPermittedGovernorOnly() {
    return governorOnly.get(work);
  }

  @Benchmark
  public Integer limpShedFallbackValue() {
    return shed.get(work, fallback);
  }

  @Benchmark
  public Integer limpShedStaleValue() {
    return shedStale.get("key", work);
  }
}
