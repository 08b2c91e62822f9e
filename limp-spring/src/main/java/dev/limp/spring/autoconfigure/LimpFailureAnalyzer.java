package dev.limp.spring.autoconfigure;

import dev.limp.spring.LimpConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link LimpConfigurationException} into Spring Boot's start-up failure report: what is wrong,
 * where, and what to do. Registered in {@code META-INF/spring.factories}. Thread-safe: stateless.
 */
final class LimpFailureAnalyzer extends AbstractFailureAnalyzer<LimpConfigurationException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, LimpConfigurationException cause) {
    StringBuilder description = new StringBuilder("limp is misconfigured.\n\n");
    description.append("    Where: ").append(cause.source()).append('\n');
    if (cause.value() != null) {
      description.append("    Value: ").append(cause.value()).append('\n');
    }
    String problem = cause.getCause() != null && cause.getCause().getMessage() != null
        ? cause.getCause().getMessage() : cause.getMessage();
    description.append("    Problem: ").append(problem);
    return new FailureAnalysis(description.toString(), cause.action(), cause);
  }
}
