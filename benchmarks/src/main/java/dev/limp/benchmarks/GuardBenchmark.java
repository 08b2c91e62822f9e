package dev.limp.benchmarks;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.ShedFallback;
import dev.limp.Tier;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
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
 * The cost of one guarded call of trivial work, against the direct call and the bare resilience4j breaker
 * that limp wraps. Run: {@code java -jar benchmarks/target/benchmarks.jar GuardBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GuardBenchmark {
  private Limp limp;
  private FeatureGuard withBreaker;
  private FeatureGuard governorOnly;
  private FeatureGuard shed;
  private CircuitBreaker bareBreaker;
  private Supplier<Integer> work;
  private Supplier<Integer> bareDecorated;
  private ShedFallback<Integer> fallback;
  private int value;

  @Setup
  public void setUp() {
    limp = Limp.builder().name("bench").governorThread(false)
        .feature(FeatureConfig.of("breaker", Tier.SHEDDABLE))
        .feature(FeatureConfig.builder("governor-only", Tier.SHEDDABLE).governorOnly().build())
        .feature(FeatureConfig.builder("shed", Tier.SHEDDABLE).governorOnly().build())
        .build();
    withBreaker = limp.guard("breaker");
    governorOnly = limp.guard("governor-only");
    shed = limp.guard("shed");
    limp.overrides().shed("shed", Duration.ofHours(1), "benchmark", "jmh");
    bareBreaker = CircuitBreaker.of("bare", FeatureConfig.DEFAULT_CIRCUIT_BREAKER);
    value = 42;
    work = () -> value;
    bareDecorated = bareBreaker.decorateSupplier(work);
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
    return bareDecorated.get();
  }

  @Benchmark
  public Integer limpPermittedWithBreaker() {
    return withBreaker.get(work);
  }

  @Benchmark
  public Integer limpPermittedGovernorOnly() {
    return governorOnly.get(work);
  }

  @Benchmark
  public Integer limpShedFallbackValue() {
    return shed.get(work, fallback);
  }
}
