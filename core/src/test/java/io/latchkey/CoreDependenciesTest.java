package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The core jar's consumers receive the SLF4J API and nothing else.
 *
 * <p>The build writes Maven's resolved dependency tree (with optional flags) before the tests run;
 * this test walks it and collects every dependency a consumer would inherit: compile, runtime or
 * system scope, with no optional dependency on its path. The enforcer rule in the pom bans
 * everything but SLF4J and Jackson, but cannot tell optional from required; this can.
 */
final class CoreDependenciesTest {
  private static final Set<String> INHERITED_SCOPES = Set.of("compile", "runtime", "system");

  /** One line of the tree: {@code | +- group:artifact:jar:version:scope (optional)}. */
  record Node(int depth, String groupArtifact, String scope, boolean optional) {
    static Node parse(String line) {
      int start = 0;
      while (start < line.length() && "|+-\\ ".indexOf(line.charAt(start)) >= 0) {
        start++;
      }
      boolean optional = line.endsWith(" (optional)");
      String coordinates = line.substring(start, optional ? line.length() - 11 : line.length());
      String[] parts = coordinates.split(":");
      // group:artifact:type[:classifier]:version:scope
      return new Node(start / 3, parts[0] + ":" + parts[1], parts[parts.length - 1], optional);
    }
  }

  @Test
  void consumersInheritSlf4jApiAlone() throws Exception {
    String property = System.getProperty("latchkey.dependencyTree");
    assumeTrue(property != null, "run through Maven, which writes the dependency tree first");
    List<String> lines = Files.readAllLines(Path.of(property), StandardCharsets.UTF_8);
    assertThat(lines.get(0)).startsWith("io.latchkey:latchkey-core:jar:");

    List<String> inherited = new ArrayList<>();
    List<String> optional = new ArrayList<>();
    // optionalAbove[d]: whether the path down to depth d passes an optional dependency.
    boolean[] optionalAbove = new boolean[64];
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      Node node = Node.parse(line);
      boolean cut = node.optional() || (node.depth() > 1 && optionalAbove[node.depth() - 1]);
      optionalAbove[node.depth()] = cut;
      if (!INHERITED_SCOPES.contains(node.scope())) {
        continue;
      }
      (cut ? optional : inherited).add(node.groupArtifact());
    }

    assertThat(inherited).containsExactly("org.slf4j:slf4j-api");
    assertThat(optional).contains("com.fasterxml.jackson.core:jackson-databind");
  }
}
