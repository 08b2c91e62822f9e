package dev.limp.internal;

import dev.limp.annotation.LimpFeature;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The empty values of {@link LimpFeature.OnShed#EMPTY}, by return type: {@code null} for {@code void},
 * zero or {@code false} for primitives and their boxes, {@code ""}, the empty optionals, collections, maps,
 * streams and arrays.
 *
 * <p>Thread-safe: immutable; a stream, used only once, is made anew for every call.
 */
final class AnnotationEmptyValues {
  /** The types {@link #of} knows, in the words of a refusal. */
  static final String ALLOWED = "void, primitives and their boxes, String, Optional(Int|Long|Double), List, "
      + "Collection, Iterable, Set, Map, Stream, arrays";

  /** By return type, arrays apart. */
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

  private AnnotationEmptyValues() {
  }

  /** The empty value of {@code type}, or {@code null} if it has none. */
  static Supplier<Object> of(Class<?> type) {
    if (type.isArray()) {
      return always(Array.newInstance(type.getComponentType(), 0));
    }
    return EMPTY.get(type);
  }

  private static Supplier<Object> always(Object value) {
    return () -> value;
  }
}
