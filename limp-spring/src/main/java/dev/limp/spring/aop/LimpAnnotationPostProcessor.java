package dev.limp.spring.aop;

import dev.limp.Limp;
import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import dev.limp.spring.LimpConfigurationException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
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
        found.put(specific, a);
      }
    });
    return found;
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
