package io.latchkey.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads what a module's build wrote next to its classes: its compiled descriptor and its {@code
 * META-INF/services} files, so that a test can check that both register the same providers.
 */
public final class ModuleFiles {
  private ModuleFiles() {}

  /**
   * Reads the compiled {@code module-info.class} of the module that holds a class.
   *
   * @param member any class of the module
   * @return the descriptor
   */
  public static ModuleDescriptor descriptor(Class<?> member) {
    try (InputStream in = Files.newInputStream(classes(member).resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads what the module that holds a class requires, apart from the {@code java.base} every
   * module is given, with each requirement's modifiers ({@code transitive}, {@code static}).
   *
   * @param member any class of the module
   * @return the required modules' names, each with its modifiers
   */
  public static Map<String, Set<Requires.Modifier>> requires(Class<?> member) {
    return descriptor(member).requires().stream()
        .filter(r -> !r.modifiers().contains(Requires.Modifier.MANDATED))
        .collect(Collectors.toMap(Requires::name, Requires::modifiers));
  }

  /**
   * Reads the providers that the module holding a class registers for a service in {@code
   * META-INF/services}, without blank lines and comments.
   *
   * @param member any class of the module
   * @param service the service interface
   * @return the providers' class names, in file order
   */
  public static List<String> serviceProviders(Class<?> member, Class<?> service) {
    Path file = classes(member).resolve("META-INF/services/" + service.getName());
    try {
      return Files.readAllLines(file, UTF_8).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path classes(Class<?> member) {
    try {
      return Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
