package dev.limp.spring.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Signal;
import dev.limp.SignalSource;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import dev.limp.spring.LimpBuilderCustomizer;
import dev.limp.spring.LimpLevelChangedApplicationEvent;
import dev.limp.spring.autoconfigure.LimpAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;

/** Governing and event publishing start once the context is ready; one summary line says what is wired. */
@ExtendWith(OutputCaptureExtension.class)
class LimpLifecycleTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class));

  /** Forces a level while the context refreshes, before any @EventListener method is registered. */
  static class EarlyOverride {
    EarlyOverride(Limp limp) {
      limp.overrides().forceLevel(Level.SHED_SHEDDABLE, Duration.ofMinutes(1), "start-up drill", "test");
    }
  }

  /** The application's listener. */
  static class Heard {
    final List<LimpLevelChangedApplicationEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @EventListener
    void on(LimpLevelChangedApplicationEvent event) {
      events.add(event);
      threads.add(Thread.currentThread().getName());
    }
  }

  @Test
  void theApplicationsEventListenerHearsALevelChangeMadeWhileTheContextRefreshed() {
    runner.withPropertyValues("limp.governor-thread=false", "limp.name=early")
        .withBean(EarlyOverride.class).withBean(Heard.class).run(ctx -> {
          Heard heard = ctx.getBean(Heard.class);
          await(() -> !heard.events.isEmpty(), "the first change is published");
          assertEquals(Level.SHED_SHEDDABLE, heard.events.get(0).event().to());
          assertEquals(ctx.getBean(Limp.class), heard.events.get(0).getSource());
          assertEquals(1, heard.events.size(), () -> heard.events.stream().map(e -> e.event() + " on " + e.getSource()).toList() + " " + heard.threads);
        });
  }

  /** A signal source that notes whether it was read before every singleton existed. */
  static class WatchedSource implements SignalSource, SmartInitializingSingleton {
    volatile boolean singletonsReady;
    volatile boolean readDuringRefresh;
    final CountDownLatch read = new CountDownLatch(1);

    @Override
    public void sample(Sink sink) {
      if (!singletonsReady) {
        readDuringRefresh = true;
      }
      sink.put(Signal.of("test.reading", Signal.Unit.COUNT), 1);
      read.countDown();
    }

    @Override
    public void afterSingletonsInstantiated() {
      singletonsReady = true;
    }
  }

  /** A bean that takes its time being created, giving a governor thread the chance to tick. */
  static class SlowBean {
    SlowBean(Limp limp, WatchedSource source) throws InterruptedException {
      source.read.await(300, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void theGovernorTicksOnlyOnceTheContextIsReadyAndStopsWithIt() {
    WatchedSource source = new WatchedSource();
    runner.withPropertyValues("limp.tick-interval=10ms", "limp.name=ticked")
        .withBean(WatchedSource.class, () -> source)
        .withBean(LimpBuilderCustomizer.class, () -> b -> b.signalSource(source))
        .withBean(SlowBean.class).run(ctx -> {
          assertTrue(ctx.getBean(LimpLifecycle.class).isRunning());
          assertTrue(source.read.await(5, TimeUnit.SECONDS), "ticks once the context is ready");
          assertFalse(source.readDuringRefresh, "no tick while beans were still being created");
          assertTrue(governorThreadAlive("ticked"));
        });
    assertFalse(governorThreadAlive("ticked"), "the governor thread ends with the context");
  }

  @Test
  void withTheGovernorThreadOffTheApplicationTicks() {
    runner.withPropertyValues("limp.governor-thread=false", "limp.name=manual").run(ctx -> {
      assertFalse(ctx.getBean(LimpLifecycle.class).ticks());
      assertFalse(governorThreadAlive("manual"));
    });
  }

  @Test
  void anApplicationsOwnLimpIsLeftToTheApplication() {
    runner.withBean(Limp.class, () -> Limp.builder().name("own").governorThread(false).build()).run(ctx -> {
      assertNull(ctx.getStartupFailure());
      assertTrue(ctx.getBeansOfType(LimpLifecycle.class).isEmpty());
    });
  }

  /** A bean whose annotation declares a feature late in the refresh. */
  public static class Search {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    public String find(String q) {
      return q;
    }
  }

  @Test
  void oneSummaryLineNamesEveryFeatureTheDataSourceAndWhatIsWired(CapturedOutput output) {
    runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues("limp.governor-thread=false", "limp.name=summary",
            "limp.features[chat.post].tier=CRITICAL_PLUS",
            "spring.datasource.url=jdbc:h2:mem:summary;DB_CLOSE_DELAY=-1")
        .withBean(Search.class).run(ctx -> {
          assertNull(ctx.getStartupFailure());
          String line = output.getAll().lines().filter(l -> l.contains("limp 'summary' ready")).findFirst()
              .orElseThrow(() -> new AssertionError("no summary in:\n" + output.getAll()));
          assertTrue(line.contains("2 features [chat.post CRITICAL_PLUS, search SHEDDABLE]"), line);
          assertTrue(line.contains("watches DataSource 'dataSource' and its pool (HikariPoolProbe)"), line);
          assertTrue(line.contains("wired: "), line);
          assertTrue(line.contains("metrics"), line);
          assertTrue(line.contains("@LimpFeature"), line);
          assertEquals(1, output.getAll().lines().filter(l -> l.contains("limp 'summary' ready")).count());
        });
  }

  private static boolean governorThreadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals("limp-governor-" + name));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(10);
    }
  }
}
