package dev.limp.internal;

import dev.limp.Limp;

/** Test access to what an engine was built with. */
public final class Engines {
  private Engines() {
  }

  public static EngineSettings settings(Limp limp) {
    return ((LimpEngine) limp).settings();
  }
}
