package dev.limp.internal;

import dev.limp.annotation.LimpFeature;
import java.lang.reflect.Method;
import java.util.StringJoiner;

/**
 * How the annotation support names a method and refuses a misused {@link LimpFeature}: the wording shared
 * by the planning of a method, the collection of its feature's needs and the calls themselves, so that
 * every message names a method the same way.
 *
 * <p>Thread-safe: stateless.
 */
final class AnnotationMisuse {
  private AnnotationMisuse() {
  }

  /** {@code Interface.method(ParamType, …)}, as misuse messages name a method. */
  static String describe(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName() + signature(m.getParameterTypes());
  }

  /** {@code (ParamType, …)}: the simple names of the parameter types. */
  static String signature(Class<?>[] params) {
    StringJoiner s = new StringJoiner(", ", "(", ")");
    for (Class<?> p : params) {
      s.add(p.getSimpleName());
    }
    return s.toString();
  }

  /** The refusal of an annotation on {@code m}, naming the method first. */
  static IllegalArgumentException misuse(Method m, String what) {
    return new IllegalArgumentException("@LimpFeature on " + describe(m) + ": " + what);
  }

  /** Makes {@code m} callable by limp, or fails naming the annotated method {@code annotated}. */
  static void accessible(Method annotated, Method m) {
    boolean ok;
    try {
      ok = m.trySetAccessible();
    } catch (SecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException((annotated == m ? "" : "@LimpFeature on " + describe(annotated)
          + ": ") + "limp cannot call " + m + " reflectively; make it public, or open its package to limp");
    }
  }

  /** Whether {@code m} is {@code equals}, {@code hashCode} or {@code toString} of {@link Object}. */
  static boolean isObjectMethod(Method m) {
    return switch (m.getName()) {
      case "equals" -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == Object.class;
      case "hashCode", "toString" -> m.getParameterCount() == 0;
      default -> false;
    };
  }
}
