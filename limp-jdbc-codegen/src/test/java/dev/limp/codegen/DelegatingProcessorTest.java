package dev.limp.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor inside a real javac run, as limp-core's build runs it ({@code --release 17 -Xlint:all
 * -Werror}), over a small hook class: what it writes, and that what it writes compiles without a warning.
 */
class DelegatingProcessorTest {
  private static final String HOOK = String.join("\n",
      "package toy;",
      "",
      "import dev.limp.codegen.Delegating;",
      "import java.sql.CallableStatement;",
      "import java.sql.Connection;",
      "import java.sql.SQLException;",
      "",
      "@Delegating(to = \"callable\", timed = \"execute\")",
      "public abstract class Hook implements CallableStatement {",
      "  final CallableStatement callable;",
      "",
      "  Hook(CallableStatement callable) {",
      "    this.callable = callable;",
      "  }",
      "",
      "  @Override",
      "  public final <T> T unwrap(Class<T> iface) {",
      "    return null;",
      "  }",
      "",
      "  @Override",
      "  public final boolean isWrapperFor(Class<?> iface) {",
      "    return false;",
      "  }",
      "",
      "  final Connection wrap(Connection connection) {",
      "    return connection;",
      "  }",
      "",
      "  final String attribution() {",
      "    return \"who\";",
      "  }",
      "",
      "  final long begin(String who) {",
      "    return 0;",
      "  }",
      "",
      "  final void succeeded(String who, long start) {",
      "  }",
      "",
      "  final SQLException failed(String who, long start, SQLException e) {",
      "    return e;",
      "  }",
      "",
      "  final void finished(String who, long start) {",
      "  }",
      "}",
      "");

  @TempDir
  Path dir;

  @Test
  void writesTheDelegationOfWhatTheHookLeavesAndItCompilesWithoutWarnings() throws IOException {
    List<Diagnostic<? extends JavaFileObject>> diagnostics = compile(HOOK);
    assertEquals(List.of(), diagnostics);
    String generated = Files.readString(dir.resolve("generated/toy/GeneratedHook.java"));
    assertTrue(generated.contains("public final class GeneratedHook extends Hook {"), generated);
    assertTrue(generated.contains("  GeneratedHook(java.sql.CallableStatement callable) {\n    super(callable);"));
    assertTrue(generated.contains("public void setString(int parameterIndex, java.lang.String x)"));
    assertTrue(generated.contains("return callable.getObject(parameterName, type);"));
    assertTrue(generated.contains("public <T> T getObject(int parameterIndex, java.lang.Class<T> type)"));
    assertTrue(generated.contains("return wrap(callable.getConnection());"), "results the hook can wrap");
    assertTrue(generated.contains("  @Deprecated\n  @SuppressWarnings(\"deprecation\")\n"
        + "  public void setUnicodeStream(int parameterIndex, java.io.InputStream x, int length)"));
    assertTrue(generated.contains(String.join("\n",
        "  public java.sql.ResultSet executeQuery(java.lang.String sql) throws java.sql.SQLException {",
        "    java.lang.String feature = attribution();",
        "    long start = begin(feature);",
        "    try {",
        "      java.sql.ResultSet result = callable.executeQuery(sql);",
        "      succeeded(feature, start);",
        "      return result;",
        "    } catch (java.sql.SQLException e) {",
        "      throw failed(feature, start, e);",
        "    } finally {",
        "      finished(feature, start);",
        "    }",
        "  }")), generated);
    assertFalse(generated.contains(" unwrap("), "what the hook implements is left alone");
    assertFalse(generated.matches("(?s).*\\b(arg|p)\\d.*"), "no parameter is left unnamed");
  }

  @Test
  void passesTheSqlTextToTheTemplateAndToWrapWhenTheHookAsksForIt() throws IOException {
    String hook = HOOK.replace("  final long begin(String who) {\n    return 0;\n  }\n",
        "  final long begin(String who) {\n    return 0;\n  }\n\n"
            + "  final long begin(String who, String sql) {\n    return 1;\n  }\n")
        .replace("  final Connection wrap(Connection connection) {\n    return connection;\n  }\n",
            "  final Connection wrap(Connection connection) {\n    return connection;\n  }\n\n"
                + "  final java.sql.ResultSet wrap(java.sql.ResultSet rs, String sql) {\n    return rs;\n  }\n");
    assertEquals(List.of(), compile(hook));
    String generated = Files.readString(dir.resolve("generated/toy/GeneratedHook.java"));
    assertTrue(generated.contains("  public java.sql.ResultSet executeQuery(java.lang.String sql) throws "
        + "java.sql.SQLException {\n    java.lang.String feature = attribution();\n"
        + "    long start = begin(feature, sql);\n"), generated);
    assertTrue(generated.contains("java.sql.ResultSet result = wrap(callable.executeQuery(sql), sql);"), generated);
    assertTrue(generated.contains("  public java.sql.ResultSet executeQuery() throws java.sql.SQLException {\n"
        + "    java.lang.String feature = attribution();\n    long start = begin(feature);\n"),
        "no text, the one-argument begin");
    assertTrue(generated.contains("return callable.getResultSet();"), "no text, no wrap(R, String)");
  }

  @Test
  void refusesAHookClassThatIsNotAbstract() throws IOException {
    assertRefused(HOOK.replace("public abstract class Hook", "public class Hook"),
        "@Delegating marks an abstract, non-generic hook class");
  }

  @Test
  void refusesADelegateThatDoesNotExist() throws IOException {
    assertRefused(HOOK.replace("to = \"callable\"", "to = \"driver\""),
        "no field or constructor parameter named driver");
  }

  @Test
  void keepsADelegateTheHookClassDoesNotHoldInAFieldOfItsOwn() throws IOException {
    assertEquals(List.of(), compile(HOOK.replace("  final CallableStatement callable;\n\n", "")
        .replace("    this.callable = callable;\n", "")));
    String generated = Files.readString(dir.resolve("generated/toy/GeneratedHook.java"));
    assertTrue(generated.contains("  private final java.sql.CallableStatement callable;\n"), generated);
    assertTrue(generated.contains("    super(callable);\n    this.callable = callable;\n"), generated);
  }

  private void assertRefused(String hook, String because) throws IOException {
    List<Diagnostic<? extends JavaFileObject>> diagnostics = compile(hook);
    assertTrue(diagnostics.stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR
        && d.getMessage(Locale.ROOT).contains(because)), diagnostics.toString());
  }

  /** Compiles {@code toy.Hook} as limp-core compiles its hooks; returns what javac reported. */
  private List<Diagnostic<? extends JavaFileObject>> compile(String hook) throws IOException {
    Path source = Files.createDirectories(dir.resolve("src/toy")).resolve("Hook.java");
    Files.writeString(source, hook);
    Files.createDirectories(dir.resolve("generated"));
    Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror",
          "-classpath", System.getProperty("java.class.path"),
          "-processor", DelegatingProcessor.class.getName(),
          "-s", dir.resolve("generated").toString(), "-d", dir.resolve("classes").toString()));
      javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(source.toFile())).call();
    }
    return diagnostics.getDiagnostics();
  }
}
