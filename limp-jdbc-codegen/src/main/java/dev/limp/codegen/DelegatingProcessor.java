package dev.limp.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Writes the pure delegation of the JDBC wrappers whose hook classes carry {@link Delegating}: for a hook class
 * {@code H}, a {@code public final class GeneratedH extends H} with {@code H}'s constructors and every method
 * of the wrapped interface that {@code H} leaves unimplemented. It runs inside javac, so it sees exactly the
 * API of the {@code --release} being compiled against (not the running JDK's), and it sees what the hook
 * class implements by hand. Parameters are named by {@link ParameterNames}.
 *
 * <p>Everything a generated method does beyond calling the delegate is in the hook class: the generated code
 * only has the per-method shape (see {@link Delegating}). Not thread-safe; javac runs it on one thread.
 */
@SupportedAnnotationTypes("*") // see process()
public final class DelegatingProcessor extends AbstractProcessor {
  /** The prefix of the generated class's name. */
  public static final String PREFIX = "Generated";

  /** Local names of a timed method, which no parameter may take. */
  private static final Set<String> LOCALS = Set.of("feature", "start", "result", "e");

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement hook : ElementFilter.typesIn(round.getElementsAnnotatedWith(Delegating.class))) {
      try {
        generate(hook);
      } catch (IllegalStateException | IOException e) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(), hook);
      }
    }
    // It is the only processor of limp-core's compilation (named in its POM), which runs with -Xlint:all
    // -Werror: an annotation no processor claims (javax.management.ConstructorParameters) would be a warning,
    // so it claims them all. A processor added after it would see none; name that one first.
    return true;
  }

  private void generate(TypeElement hook) throws IOException {
    Delegating spec = hook.getAnnotation(Delegating.class);
    if (!hook.getModifiers().contains(Modifier.ABSTRACT) || !hook.getTypeParameters().isEmpty()) {
      throw new IllegalStateException("@Delegating marks an abstract, non-generic hook class");
    }
    VariableElement field = field(hook, spec.to());
    TypeMirror delegateType = field != null ? field.asType() : constructorParameter(hook, spec.to());
    TypeElement api = (TypeElement) processingEnv.getTypeUtils().asElement(delegateType);
    if (api == null || api.getKind() != ElementKind.INTERFACE) {
      throw new IllegalStateException("the delegate " + spec.to() + " must have an interface type");
    }
    String pkg = processingEnv.getElementUtils().getPackageOf(hook).getQualifiedName().toString();
    String name = PREFIX + hook.getSimpleName();
    StringBuilder out = new StringBuilder();
    out.append("package ").append(pkg).append(";\n\n")
        .append("/**\n * The delegation of {@link ").append(hook.getSimpleName()).append("} to its {@code ")
        .append(spec.to()).append("}, every\n * {@link ").append(api.getQualifiedName())
        .append("} method it does not implement itself. Written by\n * {@code ")
        .append(getClass().getName()).append("} at build time; do not edit. Thread-safe as the hook class.\n */\n")
        .append("@javax.annotation.processing.Generated(\"").append(getClass().getName()).append("\")\n")
        .append("public final class ").append(name).append(" extends ").append(hook.getSimpleName()).append(" {\n");
    if (field == null) {
      out.append("  private final ").append(delegateType).append(' ').append(spec.to()).append(";\n");
    }
    for (ExecutableElement constructor : ElementFilter.constructorsIn(hook.getEnclosedElements())) {
      if (!constructor.getModifiers().contains(Modifier.PRIVATE)) {
        writeConstructor(out, name, constructor, field == null ? spec.to() : null);
      }
    }
    for (ExecutableElement method : unimplemented(hook, api).values()) {
      writeMethod(out, hook, spec, method);
    }
    out.append("}\n");
    try (Writer writer = processingEnv.getFiler().createSourceFile(pkg + "." + name, hook).openWriter()) {
      writer.write(out.toString());
    }
  }

  private VariableElement field(TypeElement hook, String name) {
    for (TypeElement type = hook; type != null; type = superclass(type)) {
      for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
        if (field.getSimpleName().contentEquals(name) && !field.getModifiers().contains(Modifier.PRIVATE)) {
          return field;
        }
      }
    }
    return null;
  }

  /** The type of the hook constructors' parameter {@code name}, which the generated class keeps in a field. */
  private TypeMirror constructorParameter(TypeElement hook, String name) {
    for (ExecutableElement constructor : ElementFilter.constructorsIn(hook.getEnclosedElements())) {
      for (VariableElement parameter : constructor.getParameters()) {
        if (parameter.getSimpleName().contentEquals(name)) {
          return parameter.asType();
        }
      }
    }
    throw new IllegalStateException("no field or constructor parameter named " + name + " in the hook class");
  }

  private TypeElement superclass(TypeElement type) {
    TypeMirror parent = type.getSuperclass();
    return parent.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) parent).asElement() : null;
  }

  /**
   * The methods of {@code api} and its superinterfaces, each signature once (as the most specific interface
   * declares it), that no concrete method of the hook class or its superclasses implements; sorted by
   * signature, so the output is stable.
   */
  private TreeMap<String, ExecutableElement> unimplemented(TypeElement hook, TypeElement api) {
    Set<String> implemented = new HashSet<>();
    for (TypeElement type = hook; type != null; type = superclass(type)) {
      for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
        if (!m.getModifiers().contains(Modifier.ABSTRACT)) {
          implemented.add(signature(m));
        }
      }
    }
    TreeMap<String, ExecutableElement> methods = new TreeMap<>();
    Deque<TypeElement> interfaces = new ArrayDeque<>(List.of(api));
    while (!interfaces.isEmpty()) {
      TypeElement type = interfaces.removeFirst();
      for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
        String signature = signature(m);
        if (!m.getModifiers().contains(Modifier.STATIC) && !m.getModifiers().contains(Modifier.PRIVATE)
            && !implemented.contains(signature)) {
          methods.putIfAbsent(signature, m);
        }
      }
      for (TypeMirror parent : type.getInterfaces()) {
        interfaces.addLast((TypeElement) ((DeclaredType) parent).asElement());
      }
    }
    return methods;
  }

  private String signature(ExecutableElement method) {
    StringJoiner signature = new StringJoiner(",", method.getSimpleName() + "(", ")");
    for (VariableElement parameter : method.getParameters()) {
      signature.add(processingEnv.getTypeUtils().erasure(parameter.asType()).toString());
    }
    return signature.toString();
  }

  /** A constructor that passes its arguments to the hook's, and keeps {@code kept} (when not null) too. */
  private void writeConstructor(StringBuilder out, String name, ExecutableElement constructor, String kept) {
    StringJoiner params = new StringJoiner(", ");
    StringJoiner args = new StringJoiner(", ");
    boolean takesKept = false;
    for (VariableElement parameter : constructor.getParameters()) {
      params.add(parameter.asType() + " " + parameter.getSimpleName());
      args.add(parameter.getSimpleName());
      takesKept |= parameter.getSimpleName().contentEquals(String.valueOf(kept));
    }
    if (kept != null && !takesKept) {
      throw new IllegalStateException("every constructor of the hook class takes the delegate " + kept);
    }
    out.append("\n  ").append(name).append("(").append(params).append(")").append(throwsClause(
        constructor.getThrownTypes())).append(" {\n    super(").append(args).append(");\n");
    if (kept != null) {
      out.append("    this.").append(kept).append(" = ").append(kept).append(";\n");
    }
    out.append("  }\n");
  }

  private void writeMethod(StringBuilder out, TypeElement hook, Delegating spec, ExecutableElement method) {
    ExecutableType type = (ExecutableType) processingEnv.getTypeUtils()
        .asMemberOf((DeclaredType) hook.asType(), method);
    String methodName = method.getSimpleName().toString();
    List<String> names = parameterNames(method);
    out.append("\n  @Override\n");
    if (processingEnv.getElementUtils().isDeprecated(method)) {
      out.append("  @Deprecated\n  @SuppressWarnings(\"deprecation\")\n");
    }
    out.append("  public ").append(typeParameters(method));
    TypeMirror returns = type.getReturnType();
    out.append(returns).append(' ').append(methodName).append('(');
    StringJoiner params = new StringJoiner(", ");
    List<? extends TypeMirror> types = type.getParameterTypes();
    for (int i = 0; i < types.size(); i++) {
      boolean varargs = method.isVarArgs() && i == types.size() - 1;
      String parameterType = varargs ? ((ArrayType) types.get(i)).getComponentType() + "..." : types.get(i).toString();
      params.add(parameterType + " " + names.get(i));
    }
    out.append(params).append(')').append(throwsClause(type.getThrownTypes())).append(" {\n");
    String call = spec.to() + "." + methodName + "(" + String.join(", ", names) + ")";
    String text = firstStringParameter(types, names);
    if (text != null && wraps(hook, returns, true)) {
      call = "wrap(" + call + ", " + text + ")";
    } else if (wraps(hook, returns, false)) {
      call = "wrap(" + call + ")";
    }
    boolean returnsValue = returns.getKind() != TypeKind.VOID;
    if (!spec.timed().isEmpty() && methodName.startsWith(spec.timed())) {
      writeTimedBody(out, hook, names, returnsValue ? returns.toString() : null, call, text);
    } else {
      out.append("    ").append(returnsValue ? "return " : "").append(call).append(";\n");
    }
    out.append("  }\n");
  }

  /**
   * The timing shape: the hook class's template runs around the call ({@link Delegating}); the logic is all
   * in the template's methods.
   */
  private void writeTimedBody(StringBuilder out, TypeElement hook, List<String> names, String returns,
      String call, String text) {
    for (String name : names) {
      if (LOCALS.contains(name)) {
        throw new IllegalStateException("a timed method's parameter is named " + name + ", as one of its locals");
      }
    }
    ExecutableElement attribution = hookMethod(hook, "attribution");
    if (attribution == null) {
      throw new IllegalStateException("timed methods need the template's attribution() in the hook class");
    }
    out.append("    ").append(attribution.getReturnType()).append(" feature = attribution();\n")
        .append("    long start = begin(feature")
        .append(text != null && hasMethod(hook, "begin", 2) ? ", " + text : "").append(");\n")
        .append("    try {\n")
        .append("      ").append(returns != null ? returns + " result = " : "").append(call).append(";\n")
        .append("      succeeded(feature, start);\n");
    if (returns != null) {
      out.append("      return result;\n");
    }
    out.append("    } catch (java.sql.SQLException e) {\n")
        .append("      throw failed(feature, start, e);\n")
        .append("    } finally {\n")
        .append("      finished(feature, start);\n")
        .append("    }\n");
  }

  /**
   * Whether the hook class has a {@code wrap} method for results of type {@code returns}: {@code wrap(R)}, or
   * with {@code withText} {@code wrap(R, String)}.
   */
  private boolean wraps(TypeElement hook, TypeMirror returns, boolean withText) {
    for (ExecutableElement m : ElementFilter.methodsIn(processingEnv.getElementUtils().getAllMembers(hook))) {
      List<? extends VariableElement> parameters = m.getParameters();
      if (m.getSimpleName().contentEquals("wrap") && parameters.size() == (withText ? 2 : 1)
          && processingEnv.getTypeUtils().isSameType(parameters.get(0).asType(), returns)
          && (!withText || isString(parameters.get(1).asType()))) {
        return true;
      }
    }
    return false;
  }

  /** The name of the method's first parameter if it is a {@code String} (the SQL text, in JDBC), or null. */
  private String firstStringParameter(List<? extends TypeMirror> types, List<String> names) {
    return !types.isEmpty() && isString(types.get(0)) ? names.get(0) : null;
  }

  private boolean isString(TypeMirror type) {
    return type.getKind() == TypeKind.DECLARED && type.toString().equals("java.lang.String");
  }

  private boolean hasMethod(TypeElement hook, String name, int parameters) {
    for (ExecutableElement m : ElementFilter.methodsIn(processingEnv.getElementUtils().getAllMembers(hook))) {
      if (m.getSimpleName().contentEquals(name) && m.getParameters().size() == parameters) {
        return true;
      }
    }
    return false;
  }

  private ExecutableElement hookMethod(TypeElement hook, String name) {
    for (ExecutableElement m : ElementFilter.methodsIn(processingEnv.getElementUtils().getAllMembers(hook))) {
      if (m.getSimpleName().contentEquals(name) && m.getParameters().isEmpty()) {
        return m;
      }
    }
    return null;
  }

  private List<String> parameterNames(ExecutableElement method) {
    List<String> types = new ArrayList<>();
    for (VariableElement parameter : method.getParameters()) {
      types.add(simpleName(processingEnv.getTypeUtils().erasure(parameter.asType())));
    }
    Element declaring = method.getEnclosingElement();
    return ParameterNames.of(declaring.getSimpleName().toString(), method.getSimpleName().toString(), types);
  }

  private String simpleName(TypeMirror type) {
    if (type.getKind() == TypeKind.ARRAY) {
      return simpleName(((ArrayType) type).getComponentType()) + "[]";
    }
    if (type.getKind() == TypeKind.DECLARED) {
      return ((DeclaredType) type).asElement().getSimpleName().toString();
    }
    return type.toString();
  }

  private static String typeParameters(ExecutableElement method) {
    if (method.getTypeParameters().isEmpty()) {
      return "";
    }
    StringJoiner all = new StringJoiner(", ", "<", "> ");
    for (TypeParameterElement parameter : method.getTypeParameters()) {
      List<String> bounds = new ArrayList<>();
      for (TypeMirror bound : parameter.getBounds()) {
        if (!bound.toString().equals("java.lang.Object")) {
          bounds.add(bound.toString());
        }
      }
      all.add(parameter.getSimpleName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds)));
    }
    return all.toString();
  }

  private static String throwsClause(List<? extends TypeMirror> thrown) {
    if (thrown.isEmpty()) {
      return "";
    }
    StringJoiner types = new StringJoiner(", ", " throws ", "");
    thrown.forEach(t -> types.add(t.toString()));
    return types.toString();
  }
}
