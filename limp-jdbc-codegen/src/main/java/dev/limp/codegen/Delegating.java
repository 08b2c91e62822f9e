package dev.limp.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a hand-written, abstract hook class of a JDBC wrapper: {@link DelegatingProcessor} writes, at compile
 * time, the final class {@code Generated<HookClass>} that extends it and implements every method of the
 * wrapped interface the hook class (or one of its superclasses) does not implement itself, default methods
 * included, by calling the same method on the field named by {@link #to()}.
 *
 * <p>Two shapes besides plain delegation, both asked for by declaring methods on the hook class:
 * <ul>
 *   <li><b>Wrapping results.</b> If the hook class has a method {@code wrap(R)} whose parameter type is the
 *       generated method's return type {@code R}, the result goes through it: {@code return
 *       wrap(delegate.prepareStatement(sql));}. If it has {@code wrap(R, String)} instead, and the method's first
 *       parameter is a {@code String} (the SQL text), that is passed too: {@code return
 *       wrap(delegate.prepareStatement(sql), sql);}.</li>
 *   <li><b>Timing.</b> Each method whose name starts with {@link #timed()} runs inside the hook class's
 *       timing template, which it must declare (or inherit): {@code A attribution()}, {@code long begin(A)},
 *       {@code void succeeded(A, long)}, {@code SQLException failed(A, long, SQLException)} (returns the
 *       exception to throw) and {@code void finished(A, long)} (runs whatever the outcome). If it also declares
 *       {@code long begin(A, String)}, a timed method whose first parameter is a {@code String} (the SQL text
 *       of {@code execute(sql)}) calls that one with it.</li>
 * </ul>
 *
 * <p>The generated class has one constructor for each non-private constructor of the hook class. Source
 * retention: nothing of this module is needed at run time.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Delegating {
  /**
   * The wrapped object, whose type is the interface whose methods are generated: a field of the hook class
   * (or of a superclass) visible to a subclass in the same package, when the hooks need it typed as such;
   * otherwise a parameter of every hook constructor, which the generated class keeps in a field of its own
   * (so a hook class that only narrows the interface declares no field).
   */
  String to();

  /** Methods whose names start with this are timed; empty (the default) for none. */
  String timed() default "";
}
