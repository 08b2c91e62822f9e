package dev.limp.spring.jdbc;

import dev.limp.db.MonitoredDataSource;
import dev.limp.spring.LimpConfigurationException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Wrapper;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.util.ClassUtils;

/**
 * Gives the application a watched DataSource of the type it declared: a class-based proxy of the original
 * bean (a {@code HikariDataSource} stays a {@code HikariDataSource} for injection by type) whose
 * {@code getConnection}, {@code unwrap} and {@code isWrapperFor} go through limp's
 * {@link MonitoredDataSource}, every other method (the pool's settings, its MXBean, {@code close}) going to
 * the original. {@code unwrap(MonitoredDataSource.class)} reaches limp's DataSource, and
 * {@code unwrap(HikariDataSource.class)} the pool, as before.
 *
 * <p>A bean whose class cannot be subclassed (final, or not public) becomes the {@link MonitoredDataSource}
 * itself when that satisfies the type the bean was declared with, or an interface proxy of the bean's
 * interfaces when that was an interface; a bean declared with a class that neither satisfies fails start-up
 * with a {@link LimpConfigurationException} naming the bean and the ways out, never later with a raw
 * {@code BeanNotOfRequiredTypeException} at an injection point. Stateless.
 */
final class TypeKeepingDataSource {
  private TypeKeepingDataSource() {
  }

  /**
   * The bean to give the application in place of {@code original}.
   *
   * @param declared the type the bean definition declares (a factory method's return type), or
   *     {@code null} when unknown
   */
  static Object of(String beanName, DataSource original, MonitoredDataSource monitored,
      @Nullable Class<?> declared) {
    Class<?> type = original.getClass();
    if (!Modifier.isFinal(type.getModifiers()) && Modifier.isPublic(type.getModifiers())) {
      return proxy(original, monitored, true);
    }
    Class<?> wanted = declared == null ? DataSource.class : declared;
    if (wanted.isInstance(monitored)) {
      return monitored;
    }
    if (wanted.isInterface()) {
      return proxy(original, monitored, false);
    }
    throw new LimpConfigurationException("DataSource bean '" + beanName + "' (" + type.getName() + ")", null,
        "limp watches a DataSource by wrapping it, and cannot keep the bean's type " + wanted.getName()
        + " because " + type.getSimpleName() + " is " + (Modifier.isFinal(type.getModifiers()) ? "final"
        : "not public") + ": the bean could then not be injected as " + wanted.getSimpleName(),
        "Declare the bean's type as javax.sql.DataSource (and inject it as one), make its class public and "
        + "not final, choose another DataSource with limp.database.bean-name, or switch watching off with "
        + "limp.database.enabled=false.", null);
  }

  private static Object proxy(DataSource original, MonitoredDataSource monitored, boolean byClass) {
    ProxyFactory factory = new ProxyFactory();
    factory.setTarget(original);
    if (byClass) {
      factory.setProxyTargetClass(true);
    } else {
      factory.setInterfaces(ClassUtils.getAllInterfaces(original));
    }
    factory.setOpaque(true); // the application sees a DataSource of its type, not an AOP proxy to re-advise
    factory.addAdvice(new Watched(monitored));
    return factory.getProxy(ClassUtils.getDefaultClassLoader());
  }

  /** Routes the connection and unwrapping methods to limp's DataSource. */
  private static final class Watched implements MethodInterceptor {
    private final MonitoredDataSource monitored;

    Watched(MonitoredDataSource monitored) {
      this.monitored = monitored;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
      Method m = invocation.getMethod();
      Object[] args = invocation.getArguments();
      switch (m.getName()) {
        case "getConnection":
          if (args.length == 0) {
            return monitored.getConnection();
          }
          if (m.getParameterCount() == 2 && m.getParameterTypes()[0] == String.class
              && m.getParameterTypes()[1] == String.class) {
            return monitored.getConnection((String) args[0], (String) args[1]);
          }
          break;
        case "unwrap":
          if (args.length == 1 && Wrapper.class.isAssignableFrom(m.getDeclaringClass())) {
            return monitored.unwrap((Class<?>) args[0]);
          }
          break;
        case "isWrapperFor":
          if (args.length == 1 && Wrapper.class.isAssignableFrom(m.getDeclaringClass())) {
            return monitored.isWrapperFor((Class<?>) args[0]);
          }
          break;
        case "toString":
          if (args.length == 0) {
            return "limp-watched " + invocation.getThis();
          }
          break;
        default:
          break;
      }
      return invocation.proceed();
    }
  }
}
