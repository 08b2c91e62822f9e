/**
 * The declarative way into limp: {@link dev.limp.annotation.LimpFeature} marks an interface method (or a
 * whole interface) to run through a feature's guard, with a fallback method, stale values, an empty value
 * or deferral when the feature is shed; {@link dev.limp.annotation.AnnotatedInvoker} is a resolved method
 * for frameworks that intercept calls themselves (the aspect of {@code limp-spring}).
 *
 * <p>Plain Java applies the annotation with {@link dev.limp.Limp#proxy(Class, Object)}, frameworks with
 * {@link dev.limp.Limp#annotatedMethods(Class, java.util.Map)}. Either reads and checks every annotation
 * at once, so that misuse fails then, naming the method, and a call does no reflective lookup. The
 * implementation is internal.
 */
package dev.limp.annotation;
