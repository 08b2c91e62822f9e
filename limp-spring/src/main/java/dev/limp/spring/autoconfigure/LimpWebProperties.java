package dev.limp.spring.autoconfigure;

/**
 * The {@code limp.web.*} properties: how shed calls that reach Spring MVC are answered.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpWebProperties {
  /**
   * Whether a shed call that reaches a Spring MVC controller, and that the application does not handle
   * itself, becomes a 503 with Retry-After and a problem-detail body.
   */
  private boolean problemDetails = true;

  public boolean isProblemDetails() {
    return problemDetails;
  }

  public void setProblemDetails(boolean problemDetails) {
    this.problemDetails = problemDetails;
  }
}
