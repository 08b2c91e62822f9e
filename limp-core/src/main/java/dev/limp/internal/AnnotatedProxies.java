package dev.limp.internal;

import static dev.limp.internal.AnnotationMisuse.accessible;
import static dev.limp.internal.AnnotationMisuse.isObjectMethod;
import static dev.limp.internal.AnnotationMisuse.misuse;

import dev.limp.Limp;
import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The entry points of the annotation support: makes the JDK dynamic proxies of
 * {@link dev.limp.Limp#proxy(Class, Object)}, and resolves the methods of
 * {@link dev.limp.Limp#annotatedMethods(Class, Map)}. Each method annotated with {@link LimpFeature} (on
 * itself, or else on its interface) runs through its feature's guard; the others, default methods
 * included, are called on the target; {@code equals}, {@code hashCode} and {@code toString} are the
 * proxy's own and never guarded.
 *
 * <p>Everything is resolved when the proxy is created, so that misuse fails then, naming the method, and a
 * call does no reflective lookup: the annotations are read and checked ({@link AnnotatedMethodPlan}), the
 * features the annotations name declared, once each, with the union of what their methods need, and their
 * guards looked up ({@link AnnotatedFeatures}); the proxy's calls go to {@link AnnotatedProxyHandler}.
 * Nothing is declared unless every check passed. Methods are visited in a fixed order, so that the first
 * misuse reported is the same on every run.
 *
 * <p>Thread-safe: stateless; a proxy holds only what was resolved at creation.
 */
final class AnnotatedProxies {
  private AnnotatedProxies() {
  }

  /**
   * Wraps {@code target} in a proxy of {@code type}.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface or an annotation is misused
   * @throws IllegalStateException if an annotation gives a feature another tier than it has
   */
  static <T> T create(Limp limp, Class<T> type, T target) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    if (!type.isInterface()) {
      throw new IllegalArgumentException("type must be an interface (limp proxies are JDK dynamic proxies), "
          + "but was the class " + type.getName());
    }
    if (!type.isInstance(target)) {
      throw new IllegalArgumentException("target must implement " + type.getName() + ", but was a "
          + target.getClass().getName());
    }
    Method[] methods = type.getMethods();
    Arrays.sort(methods, Comparator.comparing(Method::toGenericString)); // for repeatable messages
    Map<Method, AnnotatedMethod> delegates = new HashMap<>();
    AnnotatedFeatures features = new AnnotatedFeatures(limp);
    for (Method m : methods) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      LimpFeature a = m.getAnnotation(LimpFeature.class);
      if (isObjectMethod(m)) { // the proxy passes Object's own Method for these
        if (a != null) {
          throw misuse(m, "equals, hashCode and toString are the proxy's own and never guarded; remove the "
              + "annotation");
        }
        continue;
      }
      accessible(m, m);
      if (a == null) {
        a = m.getDeclaringClass().getAnnotation(LimpFeature.class);
      }
      if (a == null) {
        a = type.getAnnotation(LimpFeature.class);
      }
      if (a == null) {
        delegates.put(m, AnnotatedMethod.delegate(m));
        continue;
      }
      features.add(AnnotatedMethodPlan.of(m, a, type, target.getClass()));
    }
    Map<Method, AnnotatedMethod> handlers = features.declareAndBind();
    handlers.putAll(delegates);
    AnnotatedProxyHandler handler = new AnnotatedProxyHandler(Map.copyOf(handlers), target, type, limp.name());
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /**
   * Resolves methods that a framework intercepts itself, each with the annotation it found for it: the same
   * checks, fallback lookup (on the method's declaring type and {@code targetClass}) and declarations as
   * {@link #create}. Nothing is declared unless every check passed.
   */
  static Map<Method, AnnotatedInvoker> resolve(Limp limp, Class<?> targetClass,
      Map<Method, LimpFeature> annotated) {
    Objects.requireNonNull(targetClass, "targetClass");
    Objects.requireNonNull(annotated, "methods");
    List<Method> methods = new ArrayList<>(annotated.keySet());
    methods.sort(Comparator.comparing(Method::toGenericString)); // for repeatable messages
    AnnotatedFeatures features = new AnnotatedFeatures(limp);
    for (Method m : methods) {
      LimpFeature a = Objects.requireNonNull(annotated.get(m), "annotation");
      if (Modifier.isStatic(m.getModifiers()) || isObjectMethod(m)) {
        throw misuse(m, "static methods and equals, hashCode and toString are never guarded; remove the "
            + "annotation");
      }
      features.add(AnnotatedMethodPlan.of(m, a, m.getDeclaringClass(), targetClass));
    }
    return Map.copyOf(features.declareAndBind());
  }
}
