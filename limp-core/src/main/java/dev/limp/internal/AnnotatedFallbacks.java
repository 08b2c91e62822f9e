package dev.limp.internal;

import static dev.limp.internal.AnnotationMisuse.accessible;
import static dev.limp.internal.AnnotationMisuse.describe;
import static dev.limp.internal.AnnotationMisuse.misuse;
import static dev.limp.internal.AnnotationMisuse.signature;

import dev.limp.ShedReason;
import dev.limp.annotation.LimpFeature;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the method a {@link LimpFeature#fallbackMethod()} names, and checks that it fits: the variant
 * taking a {@link ShedReason} first, each on the interface and its superinterfaces, then on the target's
 * class and its superclasses (any visibility). It is called on the target, so an interface method runs as
 * the target implements it.
 *
 * <p>Thread-safe: stateless.
 */
final class AnnotatedFallbacks {
  private AnnotatedFallbacks() {
  }

  /**
   * The fallback method {@code name} of the annotated method {@code m}, made accessible.
   *
   * @throws IllegalArgumentException naming {@code m} if there is none, if only other parameter lists are
   *     found, or if its return type does not fit
   */
  static Method find(Method m, String name, Class<?> type, Class<?> targetClass) {
    Class<?>[] params = m.getParameterTypes();
    Class<?>[] withReason = Arrays.copyOf(params, params.length + 1);
    withReason[params.length] = ShedReason.class;
    List<Class<?>> owners = new ArrayList<>();
    addInterfaces(type, owners);
    for (Class<?> c = targetClass; c != null; c = c.getSuperclass()) {
      owners.add(c);
    }
    for (Class<?>[] variant : List.of(withReason, params)) {
      for (Class<?> owner : owners) {
        Method f;
        try {
          f = owner.getDeclaredMethod(name, variant);
        } catch (NoSuchMethodException e) {
          continue;
        }
        checkReturnType(m, f);
        accessible(m, f);
        return f;
      }
    }
    String expected = name + signature(params) + " or " + name + signature(withReason);
    List<String> others = new ArrayList<>();
    for (Class<?> owner : owners) {
      for (Method f : owner.getDeclaredMethods()) {
        if (f.getName().equals(name)) {
          others.add(describe(f));
        }
      }
    }
    if (!others.isEmpty()) {
      throw misuse(m, "fallbackMethod '" + name + "' must take the same parameters, optionally followed by a "
          + "ShedReason: " + expected + "; but found only " + String.join(", ", others));
    }
    throw misuse(m, "fallbackMethod '" + name + "' not found: expected " + expected + " as a default method "
        + "of " + type.getSimpleName() + " or a method of " + targetClass.getName());
  }

  /** A fallback of a method with a value must return one assignable to it (boxes and primitives alike). */
  private static void checkReturnType(Method m, Method f) {
    Class<?> returns = m.getReturnType();
    if (returns != void.class && (f.getReturnType() == void.class || !MethodType.methodType(returns).wrap()
        .returnType().isAssignableFrom(MethodType.methodType(f.getReturnType()).wrap().returnType()))) {
      throw misuse(m, "fallbackMethod " + describe(f) + " returns " + f.getReturnType().getSimpleName()
          + ", which is not assignable to " + returns.getSimpleName() + ", the return type of " + m.getName());
    }
  }

  private static void addInterfaces(Class<?> type, List<Class<?>> owners) {
    if (!owners.contains(type)) {
      owners.add(type);
      for (Class<?> parent : type.getInterfaces()) {
        addInterfaces(parent, owners);
      }
    }
  }
}
