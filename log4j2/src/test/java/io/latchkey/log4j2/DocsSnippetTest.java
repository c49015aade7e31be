package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/redaction.md shows the very configurations the tests run. */
final class DocsSnippetTest {
  private static final Path PAGE = Path.of("../docs/redaction.md");

  @ParameterizedTest
  @ValueSource(strings = {"log4j2-pattern.xml", "log4j2-rewrite.xml"})
  void page_showsTheTestedConfiguration(String resource) throws IOException {
    String configuration =
        Files.readString(Path.of("src/test/resources", resource), StandardCharsets.UTF_8);

    assertThat(Files.readString(PAGE, StandardCharsets.UTF_8))
        .contains("```xml\n" + configuration + "```\n");
  }
}
