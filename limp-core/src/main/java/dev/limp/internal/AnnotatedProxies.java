package dev.limp.internal;

import dev.limp.FeatureConfig;
import dev.limp.ShedReason;
import dev.limp.Tier;
import dev.limp.annotation.AnnotatedInvoker;
import dev.limp.annotation.LimpFeature;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Makes the JDK dynamic proxies of {@link dev.limp.Limp#proxy(Class, Object)}: each method annotated with
 * {@link LimpFeature} (on itself, or else on its interface) runs through its feature's guard; the others,
 * default methods included, are called on the target; {@code equals}, {@code hashCode} and {@code toString}
 * are the proxy's own and never guarded.
 *
 * <p>Everything is resolved when the proxy is created, so that misuse fails then, naming the method, and a
 * call does no reflective lookup: the annotations are read, the fallback methods found and checked, the
 * empty values chosen, the features the annotations name declared (once each, with the union of what their
 * methods need), and their guards looked up. Nothing is declared unless every check passed.
 *
 * <p>Thread-safe: stateless; a proxy holds only what was resolved at creation.
 */
final class AnnotatedProxies {
  /** The empty values of {@link LimpFeature.OnShed#EMPTY}, by return type (arrays apart). */
  private static final Map<Class<?>, Supplier<Object>> EMPTY = Map.ofEntries(
      Map.entry(void.class, always(null)), Map.entry(Void.class, always(null)),
      Map.entry(boolean.class, always(false)), Map.entry(Boolean.class, always(false)),
      Map.entry(char.class, always('\0')), Map.entry(Character.class, always('\0')),
      Map.entry(byte.class, always((byte) 0)), Map.entry(Byte.class, always((byte) 0)),
      Map.entry(short.class, always((short) 0)), Map.entry(Short.class, always((short) 0)),
      Map.entry(int.class, always(0)), Map.entry(Integer.class, always(0)),
      Map.entry(long.class, always(0L)), Map.entry(Long.class, always(0L)),
      Map.entry(float.class, always(0f)), Map.entry(Float.class, always(0f)),
      Map.entry(double.class, always(0d)), Map.entry(Double.class, always(0d)),
      Map.entry(String.class, always("")),
      Map.entry(Optional.class, always(Optional.empty())),
      Map.entry(OptionalInt.class, always(OptionalInt.empty())),
      Map.entry(OptionalLong.class, always(OptionalLong.empty())),
      Map.entry(OptionalDouble.class, always(OptionalDouble.empty())),
      Map.entry(List.class, always(List.of())), Map.entry(Collection.class, always(List.of())),
      Map.entry(Iterable.class, always(List.of())), Map.entry(Set.class, always(Set.of())),
      Map.entry(Map.class, always(Map.of())),
      Map.entry(Stream.class, Stream::empty)); // a stream is used once: a new one per call

  private AnnotatedProxies() {
  }

  private static Supplier<Object> always(Object value) {
    return () -> value;
  }

  /** What one annotated method asks for, checked. */
  private record Plan(Method method, LimpFeature annotation, Method fallback, Supplier<Object> empty) {
  }

  /** What the methods naming one feature ask of it, collected before it is checked or declared. */
  private static final class Need {
    final String name;
    final Tier tier;
    final Method tierMethod;
    Method staleMethod;
    Method deferMethod;

    Need(String name, Tier tier, Method tierMethod) {
      this.name = name;
      this.tier = tier;
      this.tierMethod = tierMethod;
    }
  }

  /**
   * Wraps {@code target} in a proxy of {@code type}.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface or an annotation is misused
   * @throws IllegalStateException if an annotation gives a feature another tier than it has
   */
  static <T> T create(LimpEngine limp, Class<T> type, T target) {
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
    Map<Method, AnnotatedMethod> handlers = new HashMap<>();
    List<Plan> plans = new ArrayList<>();
    Map<String, Need> needs = new LinkedHashMap<>();
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
        handlers.put(m, AnnotatedMethod.delegate(m));
        continue;
      }
      plans.add(plan(m, a, type, target.getClass()));
      need(needs, m, a);
    }
    List<FeatureConfig> undeclared = check(limp, needs.values());
    undeclared.forEach(limp::declare);
    for (Plan p : plans) {
      LimpFeature a = p.annotation();
      handlers.put(p.method(), AnnotatedMethod.guarded(p.method(), (FeatureRuntime) limp.guard(a.name()),
          a.defer(), a.staleValues(), p.fallback(), p.empty()));
    }
    InvocationHandler handler = new Handler(Map.copyOf(handlers), target, type, limp.name());
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /**
   * Resolves methods that a framework intercepts itself, each with the annotation it found for it: the same
   * checks, fallback lookup (on the method's declaring type and {@code targetClass}) and declarations as
   * {@link #create}. Nothing is declared unless every check passed.
   */
  static Map<Method, AnnotatedInvoker> resolve(LimpEngine limp, Class<?> targetClass,
      Map<Method, LimpFeature> annotated) {
    Objects.requireNonNull(targetClass, "targetClass");
    Objects.requireNonNull(annotated, "methods");
    List<Method> methods = new ArrayList<>(annotated.keySet());
    methods.sort(Comparator.comparing(Method::toGenericString)); // for repeatable messages
    List<Plan> plans = new ArrayList<>();
    Map<String, Need> needs = new LinkedHashMap<>();
    for (Method m : methods) {
      LimpFeature a = Objects.requireNonNull(annotated.get(m), "annotation");
      if (Modifier.isStatic(m.getModifiers()) || isObjectMethod(m)) {
        throw misuse(m, "static methods and equals, hashCode and toString are never guarded; remove the "
            + "annotation");
      }
      plans.add(plan(m, a, m.getDeclaringClass(), targetClass));
      need(needs, m, a);
    }
    List<FeatureConfig> undeclared = check(limp, needs.values());
    undeclared.forEach(limp::declare);
    Map<Method, AnnotatedInvoker> invokers = new HashMap<>();
    for (Plan p : plans) {
      LimpFeature a = p.annotation();
      invokers.put(p.method(), AnnotatedMethod.guarded(p.method(), (FeatureRuntime) limp.guard(a.name()),
          a.defer(), a.staleValues(), p.fallback(), p.empty()));
    }
    return Map.copyOf(invokers);
  }

  // ---------------------------------------------------------------- one method

  private static Plan plan(Method m, LimpFeature a, Class<?> type, Class<?> targetClass) {
    Class<?> returns = m.getReturnType();
    if (a.defer() && returns != void.class) {
      throw misuse(m, "defer is only for void methods (a deferred call runs later and has no value to "
          + "return now), but it returns " + returns.getSimpleName());
    }
    if (a.defer() && !a.fallbackMethod().isEmpty()) {
      throw misuse(m, "defer and fallbackMethod '" + a.fallbackMethod() + "' exclude each other: a shed call "
          + "is either queued for replay or answered by the fallback; keep one");
    }
    if (a.staleValues() && returns == void.class) {
      throw misuse(m, "staleValues needs a value to keep, but the method returns void");
    }
    Supplier<Object> empty = null;
    if (a.onShed() == LimpFeature.OnShed.EMPTY) {
      empty = emptyValue(returns);
      if (empty == null) {
        throw misuse(m, "onShed = EMPTY, but its return type " + returns.getName() + " has no empty value; "
            + "allowed: void, primitives and their boxes, String, Optional(Int|Long|Double), List, Collection, "
            + "Iterable, Set, Map, Stream, arrays");
      }
    }
    Method fallback = a.fallbackMethod().isEmpty() ? null : fallback(m, a.fallbackMethod(), type, targetClass);
    return new Plan(m, a, fallback, empty);
  }

  private static Supplier<Object> emptyValue(Class<?> type) {
    if (type.isArray()) {
      return always(Array.newInstance(type.getComponentType(), 0));
    }
    return EMPTY.get(type);
  }

  /**
   * Finds the fallback method: the variant taking a {@link ShedReason} first, each on the interface and its
   * superinterfaces, then on the target's class and its superclasses (any visibility). It is called on the
   * target, so an interface method runs as the target implements it.
   */
  private static Method fallback(Method m, String name, Class<?> type, Class<?> targetClass) {
    Class<?>[] params = m.getParameterTypes();
    Class<?>[] withReason = Arrays.copyOf(params, params.length + 1);
    withReason[params.length] = ShedReason.class;
    List<Class<?>> owners = new ArrayList<>();
    addInterfaces(type, owners);
    for (Class<?> c = targetClass; c != null; c = c.getSuperclass()) {
      owners.add(c);
    }
    String expected = name + signature(params) + " or " + name + signature(withReason);
    for (Class<?>[] variant : List.of(withReason, params)) {
      for (Class<?> owner : owners) {
        Method f;
        try {
          f = owner.getDeclaredMethod(name, variant);
        } catch (NoSuchMethodException e) {
          continue;
        }
        Class<?> returns = m.getReturnType();
        if (returns != void.class && (f.getReturnType() == void.class || !MethodType.methodType(returns).wrap()
            .returnType().isAssignableFrom(MethodType.methodType(f.getReturnType()).wrap().returnType()))) {
          throw misuse(m, "fallbackMethod " + AnnotatedMethod.describe(f) + " returns "
              + f.getReturnType().getSimpleName() + ", which is not assignable to " + returns.getSimpleName()
              + ", the return type of " + m.getName());
        }
        accessible(m, f);
        return f;
      }
    }
    List<String> others = new ArrayList<>();
    for (Class<?> owner : owners) {
      for (Method f : owner.getDeclaredMethods()) {
        if (f.getName().equals(name)) {
          others.add(AnnotatedMethod.describe(f));
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

  private static void addInterfaces(Class<?> type, List<Class<?>> owners) {
    if (!owners.contains(type)) {
      owners.add(type);
      for (Class<?> parent : type.getInterfaces()) {
        addInterfaces(parent, owners);
      }
    }
  }

  private static String signature(Class<?>[] params) {
    StringJoiner s = new StringJoiner(", ", "(", ")");
    for (Class<?> p : params) {
      s.add(p.getSimpleName());
    }
    return s.toString();
  }

  /** Makes {@code m} callable by limp, or fails naming the annotated method {@code annotated}. */
  private static void accessible(Method annotated, Method m) {
    boolean ok;
    try {
      ok = m.trySetAccessible();
    } catch (SecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException((annotated == m ? "" : "@LimpFeature on "
          + AnnotatedMethod.describe(annotated) + ": ") + "limp cannot call " + m + " reflectively; make it "
          + "public, or open its package to limp");
    }
  }

  private static boolean isObjectMethod(Method m) {
    return switch (m.getName()) {
      case "equals" -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == Object.class;
      case "hashCode", "toString" -> m.getParameterCount() == 0;
      default -> false;
    };
  }

  private static IllegalArgumentException misuse(Method m, String what) {
    return new IllegalArgumentException("@LimpFeature on " + AnnotatedMethod.describe(m) + ": " + what);
  }

  // ---------------------------------------------------------------- features

  /** Adds what method {@code m} asks of its feature to the feature's {@link Need}. */
  private static void need(Map<String, Need> needs, Method m, LimpFeature a) {
    Need need = needs.get(a.name());
    if (need == null) {
      try {
        FeatureConfig.builder(a.name(), a.tier());
      } catch (IllegalArgumentException e) {
        throw misuse(m, e.getMessage());
      }
      need = new Need(a.name(), a.tier(), m);
      needs.put(a.name(), need);
    } else if (need.tier != a.tier()) {
      throw new IllegalStateException("feature '" + a.name() + "' is given two tiers: " + need.tier + " by "
          + AnnotatedMethod.describe(need.tierMethod) + " and " + a.tier() + " by " + AnnotatedMethod.describe(m)
          + "; a feature has one tier");
    }
    if (a.staleValues() && need.staleMethod == null) {
      need.staleMethod = m;
    }
    if (a.defer() && need.deferMethod == null) {
      need.deferMethod = m;
    }
  }

  /**
   * Checks the needs against the features already declared, and returns the declarations of the others,
   * with stale values and a deferral queue where a method asks for them.
   */
  private static List<FeatureConfig> check(LimpEngine limp, Collection<Need> needs) {
    List<FeatureConfig> undeclared = new ArrayList<>();
    for (Need need : needs) {
      FeatureRuntime existing = (FeatureRuntime) limp.findGuard(need.name).orElse(null);
      if (existing == null) {
        FeatureConfig.Builder b = FeatureConfig.builder(need.name, need.tier);
        if (need.staleMethod != null) {
          b.staleValues(Duration.ofSeconds(LimpFeature.DEFAULT_STALE_VALUE_MAX_AGE_SECONDS),
              LimpFeature.DEFAULT_STALE_VALUE_MAX_ENTRIES);
        }
        if (need.deferMethod != null) {
          b.deferWhenShed(LimpFeature.DEFAULT_DEFER_QUEUE_CAPACITY);
        }
        undeclared.add(b.build());
        continue;
      }
      if (existing.tier() != need.tier) {
        throw new IllegalStateException("feature '" + need.name + "' is declared as " + existing.tier()
            + ", but @LimpFeature on " + AnnotatedMethod.describe(need.tierMethod) + " gives it " + need.tier
            + "; a feature has one tier");
      }
      if (need.staleMethod != null && existing.config().staleValueMaxAge().isEmpty()) {
        throw misuse(need.staleMethod, "staleValues = true, but feature '" + need.name + "' is declared "
            + "without stale values; declare it with FeatureConfig.Builder.staleValues(maxAge, maxEntries)");
      }
      if (need.deferMethod != null && existing.config().deferQueueCapacity() == 0) {
        throw misuse(need.deferMethod, "defer = true, but feature '" + need.name + "' is declared without a "
            + "deferral queue; declare it with FeatureConfig.Builder.deferWhenShed(capacity)");
      }
    }
    return undeclared;
  }

  // ---------------------------------------------------------------- the proxy

  /** The proxy's invocation handler: one map lookup, then the resolved method. */
  private static final class Handler implements InvocationHandler {
    private final Map<Method, AnnotatedMethod> methods;
    private final Object target;
    private final Class<?> type;
    private final String limp;

    Handler(Map<Method, AnnotatedMethod> methods, Object target, Class<?> type, String limp) {
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
}
