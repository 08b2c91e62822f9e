package dev.limp.spring.web;

import dev.limp.FeatureShedException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link FeatureShedException} that reaches a Spring MVC or WebFlux controller (thrown, or as a
 * reactive controller's {@code Mono.error}) with HTTP 503, a
 * {@code Retry-After} header (the shed reason's hint, in whole seconds, at least 1) and an RFC 9457
 * problem-detail body naming the feature, the level and the cause. Ordered last: an
 * {@code @ExceptionHandler} of the application (in the controller or an earlier advice) wins. Thread-safe.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class LimpShedExceptionHandler {
  /** The problem type of a shed call. */
  public static final URI TYPE = URI.create("urn:dev.limp:problem:feature-shed");

  @ExceptionHandler(FeatureShedException.class)
  public ResponseEntity<ProblemDetail> featureShed(FeatureShedException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
        "'" + e.feature() + "' is switched off for now to protect the service; retry later");
    problem.setType(TYPE);
    problem.setTitle("Feature temporarily unavailable");
    problem.setProperty("feature", e.feature());
    problem.setProperty("level", e.level().name());
    problem.setProperty("cause", e.shedCause().name());
    long seconds = e.retryAfter() == null ? 1 : Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .body(problem);
  }
}
