package dev.limp.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The invocation handler of a limp proxy: one map lookup, then the resolved method (guarded or delegating);
 * {@code equals}, {@code hashCode} and {@code toString} are the proxy's own (identity, and a description
 * naming the limp instance, the interface and the target).
 *
 * <p>Immutable and thread-safe.
 */
final class AnnotatedProxyHandler implements InvocationHandler {
  private final Map<Method, AnnotatedMethod> methods;
  private final Object target;
  private final Class<?> type;
  private final String limp;

  /** {@code methods} holds every method of {@code type} but those of {@link Object}; it is not copied. */
  AnnotatedProxyHandler(Map<Method, AnnotatedMethod> methods, Object target, Class<?> type, String limp) {
    this.methods = methods;
    this.target = target;
    this.type = type;
    this.limp = limp;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    AnnotatedMethod m = methods.get(method);
    if (m != null) {
      return m.invoke(target, args);
    }
    switch (method.getName()) { // the proxy passes only equals, hashCode and toString of Object here
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return "limp '" + limp + "' proxy of " + type.getSimpleName() + " for " + target;
      default:
        throw new IllegalStateException("limp proxy of " + type.getName() + " has no handler for " + method);
    }
  }
}
