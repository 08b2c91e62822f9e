package dev.limp.spring.web;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import dev.limp.spring.LimpConfigurationException;
import dev.limp.spring.autoconfigure.LimpAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** WebFlux: shed calls become 503s; @LimpFeature on a method whose result is still to come fails start-up. */
class ReactiveWebTest {
  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class, WebFluxAutoConfiguration.class,
          HttpHandlerAutoConfiguration.class))
      .withPropertyValues("limp.governor-thread=false", "limp.features.search.tier=SHEDDABLE");

  @RestController
  static class SearchController {
    private final FeatureGuard search;

    SearchController(Limp limp) {
      this.search = limp.guard("search");
    }

    @GetMapping("/search")
    Mono<List<String>> search() {
      return Mono.fromCallable(() -> search.get(() -> List.of("hit")));
    }

    @GetMapping("/search-now")
    List<String> searchNow() {
      return search.get(() -> List.of("hit"));
    }
  }

  @Test
  void aShedCallOfAReactiveControllerIsA503WithRetryAfterAndAProblemDetail() {
    runner.withBean(SearchController.class).run(ctx -> {
      WebTestClient client = WebTestClient.bindToApplicationContext(ctx).build();
      client.get().uri("/search").exchange().expectStatus().isOk();
      ctx.getBean(Limp.class).overrides().shed("search", Duration.ofMinutes(1), "drill", "test");
      for (String uri : List.of("/search", "/search-now")) {
        client.get().uri(uri).exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().exists("Retry-After")
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo(LimpShedExceptionHandler.TYPE.toString())
            .jsonPath("$.feature").isEqualTo("search")
            .jsonPath("$.level").exists();
      }
    });
  }

  @Test
  void theReactiveAnswerBacksOffWhenSwitchedOff() {
    runner.withPropertyValues("limp.web.problem-details=false").run(ctx ->
        assertTrue(ctx.getBeansOfType(LimpShedExceptionHandler.class).isEmpty()));
  }

  public static class ReactiveSearch {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    public Mono<List<String>> search(String q) {
      return Mono.just(List.of(q));
    }
  }

  public static class StreamingSearch {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    public Flux<String> search(String q) {
      return Flux.just(q);
    }
  }

  public static class AsyncSearch {
    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    public CompletableFuture<String> search(String q) {
      return CompletableFuture.completedFuture(q);
    }
  }

  @Test
  void limpFeatureOnAMethodReturningMonoFluxOrAFutureFailsStartUpNamingTheMethod() {
    ApplicationContextRunner plain = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class))
        .withPropertyValues("limp.governor-thread=false");
    for (Class<?> bean : List.of(ReactiveSearch.class, StreamingSearch.class, AsyncSearch.class)) {
      plain.withBean(bean).run(ctx -> {
        Throwable failure = ctx.getStartupFailure();
        LimpConfigurationException e = null;
        for (Throwable c = failure; c != null; c = c.getCause()) {
          if (c instanceof LimpConfigurationException l) {
            e = l;
          }
        }
        assertInstanceOf(LimpConfigurationException.class, e, bean + ": " + failure);
        assertTrue(e.source().contains(bean.getSimpleName() + ".search(java.lang.String)"), e.source());
        assertTrue(e.getMessage().contains("a result still to come"), e.getMessage());
        assertTrue(e.action().contains("subscribeOn"), e.action());
      });
    }
  }
}
