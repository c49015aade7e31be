package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The JPA example stores, reads without writing, rotates, and prints no credential. */
final class JpaExampleTest {

  @Test
  void run_storesRotatesAndRetiresTheOldKey_printingNoCredential() {
    String url = "jdbc:h2:mem:jpa-example-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JpaExample.run(new PrintStream(bytes, true, UTF_8), url);
    String output = bytes.toString(UTF_8);

    assertThat(output)
        .contains("the column holds lk....")
        .contains("2. openai: sk-...***")
        .contains("3. loaded and committed: 0 UPDATE statements")
        .contains("5. re-encryption: 3 rotated, clean")
        .contains("6. check with the new key alone: clean")
        .contains("7. old key retired; openai still reads: sk-...***");
    for (String credential :
        List.of(
            "sk-openai-example-0123456789abcdef",
            "sk-ant-example-0123456789abcdef",
            "ghp_example0123456789abcdefghij")) {
      Leaks.assertNoLeak("example output", output, credential);
    }
  }
}
