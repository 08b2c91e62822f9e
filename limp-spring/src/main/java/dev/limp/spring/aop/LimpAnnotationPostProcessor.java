package dev.limp.spring.aop;

import dev.limp.Limp;
import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import dev.limp.spring.LimpConfigurationException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Applies {@link LimpFeature} annotations to Spring beans, as {@code Limp.proxy} applies them to interface
 * implementations: it finds the annotated methods of each bean's class when the bean is initialised,
 * resolves them through {@link Limp#annotatedMethods} (which checks them and declares the features, so that
 * misuse and conflicting tiers fail start-up), and advises the bean (a new proxy of either kind, or an
 * advisor added in front of an existing proxy's) so that each such call runs through its feature's guard.
 *
 * <p>Which annotation applies to a public method of a bean's class: its own, or one on a method it
 * overrides or implements (superclasses, then interfaces); else one on the nearest class, from the bean's
 * class up, that declares or inherits the method; else one on an interface that declares it. Thread-safe
 * once initialised.
 */
public final class LimpAnnotationPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {
  private static final long serialVersionUID = 1L;

  /** The resolved methods, by bean class, then by that class's most specific method. */
  private final transient Map<Class<?>, Map<Method, AnnotatedInvoker>> resolved = new ConcurrentHashMap<>();
  private final transient Supplier<Limp> limp;

  public LimpAnnotationPostProcessor(Supplier<Limp> limp) {
    this.limp = limp;
    setBeforeExistingAdvisors(true); // limp decides first: a shed call opens no transaction
    this.advisor = new DefaultPointcutAdvisor(new Pointcut(), (MethodInterceptor) this::invoke);
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (!resolved.containsKey(type)) {
      Map<Method, LimpFeature> annotated = annotatedMethods(type);
      if (annotated.isEmpty()) {
        return bean;
      }
      try {
        resolved.put(type, limp.get().annotatedMethods(type, annotated));
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new LimpConfigurationException("@LimpFeature on bean '" + beanName + "' (" + type.getName() + ")",
            null, e.getMessage(), "Correct the annotations of " + type.getSimpleName() + ", or declare the "
            + "feature under limp.features with the tier the annotations give it.", e);
      }
    }
    return super.postProcessAfterInitialization(bean, beanName);
  }

  /** The annotated public methods of a bean class, with the annotation that applies to each. */
  static Map<Method, LimpFeature> annotatedMethods(Class<?> type) {
    Map<Method, LimpFeature> found = new LinkedHashMap<>();
    if (!AnnotationUtils.isCandidateClass(type, LimpFeature.class)) {
      return found;
    }
    ReflectionUtils.doWithMethods(type, m -> {
      LimpFeature own = AnnotationUtils.findAnnotation(m, LimpFeature.class);
      if (own != null && !Modifier.isPublic(m.getModifiers()) || own != null && Modifier.isFinal(m.getModifiers())) {
        throw new LimpConfigurationException("@LimpFeature on " + m, null, "Spring's proxies only intercept "
            + "public, non-final methods", "Make " + m.getName() + " public and not final, or remove the "
            + "annotation.", null);
      }
      if (own != null) {
        refuseDeferredResult(m);
      }
      if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class || m.isBridge() || m.isSynthetic()) {
        return;
      }
      Method specific = ClassUtils.getMostSpecificMethod(m, type);
      if (found.containsKey(specific)) {
        return;
      }
      LimpFeature a = own != null ? own : typeLevel(specific, type);
      if (a != null && !isObjectMethod(specific)) {
        refuseDeferredResult(specific);
        found.put(specific, a);
      }
    });
    return found;
  }

  /** Types whose value is a result still to come: the work runs after the method returns. */
  private static final List<String> DEFERRED_RESULTS = List.of("java.util.concurrent.CompletionStage",
      "java.util.concurrent.Future", "org.reactivestreams.Publisher", "java.util.concurrent.Flow$Publisher");

  /**
   * Refuses a method whose result is still to come (Mono, Flux, CompletionStage, Future): the guard admits,
   * times and counts a call that runs on the calling thread, so it would guard only the assembly of the
   * result, never the work, and a shed answer would not be of the right kind. A wrong guard that seems to
   * work is worse than none, so start-up fails, naming the method.
   */
  private static void refuseDeferredResult(Method m) {
    ClassLoader loader = m.getReturnType().getClassLoader();
    for (String name : DEFERRED_RESULTS) {
      if (!m.getReturnType().isPrimitive() && ClassUtils.isPresent(name, loader)
          && ClassUtils.resolveClassName(name, loader).isAssignableFrom(m.getReturnType())) {
        throw new LimpConfigurationException("@LimpFeature on " + m, null, "the method returns "
            + m.getReturnType().getSimpleName() + ", a result still to come: limp's guard admits and times "
            + "a call that does its work before it returns, so it would guard only the creation of the "
            + m.getReturnType().getSimpleName() + ", not the work", "Annotate the method that does the "
            + "work and returns its value, and subscribe to it on a scheduler of your choice (for example "
            + "Mono.fromCallable(service::search).subscribeOn(Schedulers.boundedElastic())), or remove the "
            + "annotation from " + m.getName() + ".", null);
      }
    }
  }

  private static LimpFeature typeLevel(Method m, Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      LimpFeature a = c.getDeclaredAnnotation(LimpFeature.class);
      if (a != null && m.getDeclaringClass().isAssignableFrom(c)) {
        return a;
      }
    }
    for (Class<?> i : ClassUtils.getAllInterfacesForClassAsSet(type)) {
      LimpFeature a = i.getDeclaredAnnotation(LimpFeature.class);
      if (a != null && ClassUtils.hasMethod(i, m.getName(), m.getParameterTypes())) {
        return a;
      }
    }
    return null;
  }

  private static boolean isObjectMethod(Method m) {
    return ReflectionUtils.isEqualsMethod(m) || ReflectionUtils.isHashCodeMethod(m)
        || ReflectionUtils.isToStringMethod(m);
  }

  private AnnotatedInvoker invoker(Method method, Class<?> targetClass) {
    Map<Method, AnnotatedInvoker> methods = targetClass == null ? null : resolved.get(targetClass);
    return methods == null ? null : methods.get(ClassUtils.getMostSpecificMethod(method, targetClass));
  }

  private Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    AnnotatedInvoker invoker = invoker(invocation.getMethod(), target == null ? null : AopUtils.getTargetClass(target));
    if (invoker == null) {
      return invocation.proceed();
    }
    return invoker.invoke(target, invocation.getArguments(), invocation::proceed);
  }

  /** Matches the methods resolved for a bean class. */
  private final class Pointcut extends StaticMethodMatcherPointcut {
    Pointcut() {
      setClassFilter((ClassFilter) type -> resolved.containsKey(type));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      return invoker(method, targetClass) != null;
    }
  }
}
