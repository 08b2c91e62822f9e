package dev.limp.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: the engine must load and run without it, so no compiled class outside
 * {@code dev.limp.micrometer} may refer to it. (Running the engine with Micrometer absent is not possible on
 * this test classpath; a reference in a class file is what would break it, so that is what is checked.)
 */
class MicrometerStaysOptionalTest {
  private static final String MICROMETER = "io/micrometer";

  @Test
  void noCompiledClassOutsideTheBinderPackageRefersToMicrometer() throws Exception {
    Path root = classesRoot().resolve("dev/limp");
    Path binder = root.resolve("micrometer");
    List<Path> classes;
    try (Stream<Path> files = Files.walk(root)) {
      classes = files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
    }
    assertTrue(classes.contains(root.resolve("Limp.class")), "the scan must see the core classes: " + root);
    assertTrue(classes.contains(binder.resolve("LimpMetrics.class")),
        "the scan must see the binder too (it is the positive control): " + binder);
    assertTrue(mentionsMicrometer(binder.resolve("LimpMetrics.class")),
        "the binder refers to Micrometer, so a scan that does not find it there is broken");

    List<String> offenders = classes.stream()
        .filter(p -> !p.startsWith(binder))
        .filter(MicrometerStaysOptionalTest::mentionsMicrometer)
        .map(p -> root.relativize(p).toString())
        .sorted()
        .collect(Collectors.toList());
    assertEquals(List.of(), offenders, "classes outside dev.limp.micrometer must not refer to Micrometer");
  }

  private static Path classesRoot() throws URISyntaxException {
    // target/classes, wherever the build runs; Limp is a main class, not a test class
    return Path.of(Limp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static boolean mentionsMicrometer(Path classFile) {
    try {
      // constant-pool strings are modified UTF-8: ASCII names appear byte for byte
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(MICROMETER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
