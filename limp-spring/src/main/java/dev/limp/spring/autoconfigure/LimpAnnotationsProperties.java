package dev.limp.spring.autoconfigure;

/**
 * The {@code limp.annotations.*} properties: the {@code @LimpFeature} annotations on Spring beans.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpAnnotationsProperties {
  /** Whether @LimpFeature annotations on Spring beans are applied. */
  private boolean enabled = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
