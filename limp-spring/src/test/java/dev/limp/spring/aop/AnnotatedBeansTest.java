package dev.limp.spring.aop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureShedException;
import dev.limp.Limp;
import dev.limp.ShedReason;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import dev.limp.annotation.LimpFeature.OnShed;
import dev.limp.spring.LimpConfigurationException;
import dev.limp.spring.autoconfigure.LimpAutoConfiguration;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link LimpFeature} on Spring beans: the same semantics as {@code Limp.proxy}, through the advisor. */
class AnnotatedBeansTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class))
      .withPropertyValues("limp.governor-thread=false", "limp.name=annotated");

  private static void shed(Limp limp, String feature) {
    limp.overrides().shed(feature, Duration.ofMinutes(1), "test", "tester");
  }

  /** A class without interface: a CGLIB proxy. Fallback method, EMPTY, checked exceptions. */
  public static class SearchService {
    int calls;

    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, fallbackMethod = "noHits")
    public List<String> search(String q) {
      calls++;
      return List.of("hit:" + q);
    }

    public List<String> noHits(String q, ShedReason reason) {
      return List.of("fallback:" + q + ":" + reason.cause());
    }

    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, onShed = OnShed.EMPTY)
    public int count(String q) {
      return 42;
    }

    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    public String failing() throws IOException {
      throw new IOException("disk");
    }

    public String unguarded() {
      return "plain";
    }
  }

  /** Annotated on the interface, implemented by a class: either proxy kind. */
  @LimpFeature(name = "profile", tier = Tier.SHEDDABLE_PLUS, staleValues = true)
  public interface ProfileService {
    String profile(String user);
  }

  public static class ProfileServiceImpl implements ProfileService {
    int version;

    @Override
    public String profile(String user) {
      return user + "@v" + (++version);
    }
  }

  /** Deferral of void work, annotated on the class. */
  @LimpFeature(name = "mail", tier = Tier.SHEDDABLE, defer = true)
  public static class MailService {
    final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

    public void send(String to) {
      sent.add(to);
    }
  }

  @Test
  void classBeanIsShedToItsFallbackMethodAndRestored() {
    runner.withBean(SearchService.class).run(ctx -> {
      SearchService search = ctx.getBean(SearchService.class);
      Limp limp = ctx.getBean(Limp.class);
      assertTrue(AopUtils.isCglibProxy(search));
      assertEquals(Tier.SHEDDABLE, limp.guard("search").tier(), "declared from the annotation");
      assertEquals(List.of("hit:a"), search.search("a"));
      assertThrows(IOException.class, search::failing, "checked exceptions pass unchanged");
      shed(limp, "search");
      assertEquals(List.of("fallback:a:OVERRIDE"), search.search("a"));
      assertEquals(0, search.count("a"), "EMPTY");
      assertThrows(FeatureShedException.class, search::failing);
      assertEquals("plain", search.unguarded());
      assertEquals(1, ((SearchService) org.springframework.aop.framework.AopProxyUtils.getSingletonTarget(search)).calls,
          "the shed call did not reach the bean");
    });
  }

  @Test
  void interfaceAnnotationAppliesThroughJdkAndCglibProxiesWithStaleValues() {
    for (String targetClass : List.of("true", "false")) {
      runner.withPropertyValues("spring.aop.proxy-target-class=" + targetClass)
          .withBean(ProfileService.class, ProfileServiceImpl::new).run(ctx -> {
            ProfileService profiles = ctx.getBean(ProfileService.class);
            assertEquals(!Boolean.parseBoolean(targetClass), Proxy.isProxyClass(profiles.getClass()));
            Limp limp = ctx.getBean(Limp.class);
            assertEquals("ann@v1", profiles.profile("ann"));
            shed(limp, "profile");
            assertEquals("ann@v1", profiles.profile("ann"), "the last good value, stale");
            assertThrows(FeatureShedException.class, () -> profiles.profile("bob"));
          });
    }
  }

  @Test
  void deferredVoidWorkIsReplayedWhenTheFeatureIsRestored() {
    runner.withBean(MailService.class).run(ctx -> {
      MailService mail = ctx.getBean(MailService.class);
      Limp limp = ctx.getBean(Limp.class);
      shed(limp, "mail");
      mail.send("ann");
      MailService target = (MailService) org.springframework.aop.framework.AopProxyUtils.getSingletonTarget(mail);
      assertNotNull(target);
      assertTrue(target.sent.isEmpty(), "queued, not sent");
      limp.overrides().releaseFeature("mail", "tester");
      limp.tick();
      assertEquals("ann", target.sent.poll(5, TimeUnit.SECONDS), "replayed on restore");
    });
  }

  @Test
  void featureDeclaredInPropertiesKeepsItsSettingsAndAnnotationUsesIt() {
    runner.withPropertyValues("limp.features.search.tier=SHEDDABLE", "limp.features.search.bulkhead=2")
        .withBean(SearchService.class).run(ctx -> {
          Limp limp = ctx.getBean(Limp.class);
          assertTrue(limp.guard("search").bulkhead().isPresent());
          assertEquals(List.of("hit:x"), ctx.getBean(SearchService.class).search("x"));
        });
  }

  @Test
  void conflictingTiersFailStartUpNamingTheBeanAndTheFeature() {
    runner.withPropertyValues("limp.features.search.tier=CRITICAL").withBean(SearchService.class).run(ctx -> {
      Throwable failure = ctx.getStartupFailure();
      assertNotNull(failure);
      LimpConfigurationException e = findCause(failure, LimpConfigurationException.class);
      assertTrue(e.source().contains("SearchService"), e.source());
      assertTrue(e.getMessage().contains("feature 'search' is declared as CRITICAL"), e.getMessage());
      assertTrue(e.action().contains("limp.features"), e.action());
    });
  }

  public static class BadFallback {
    @LimpFeature(name = "bad", tier = Tier.SHEDDABLE, fallbackMethod = "missing")
    public String work() {
      return "x";
    }
  }

  @Test
  void misusedAnnotationFailsStartUpNamingTheMethod() {
    runner.withBean(BadFallback.class).run(ctx -> {
      LimpConfigurationException e = findCause(ctx.getStartupFailure(), LimpConfigurationException.class);
      assertTrue(e.getMessage().contains("fallbackMethod 'missing' not found"), e.getMessage());
      assertTrue(e.getMessage().contains("BadFallback.work()"), e.getMessage());
    });
  }

  @Test
  void annotationsAreIgnoredWhenSwitchedOff() {
    runner.withPropertyValues("limp.annotations.enabled=false").withBean(SearchService.class).run(ctx -> {
      assertFalse(AopUtils.isAopProxy(ctx.getBean(SearchService.class)));
      assertTrue(ctx.getBean(Limp.class).findGuard("search").isEmpty());
    });
  }

  @Test
  void unannotatedBeansAreNotProxied() {
    runner.withBean(StringBuilder.class).run(ctx -> {
      assertSame(StringBuilder.class, ctx.getBean(StringBuilder.class).getClass());
      assertInstanceOf(Limp.class, ctx.getBean(Limp.class));
    });
  }

  static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
  }
}
