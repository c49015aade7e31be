package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The Jackson example writes no credential, carries its state encrypted, and refuses secrets. */
final class JacksonExampleTest {

  @Test
  void run_writesNoCredentialAndCarriesTheStateEncrypted() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JacksonExample.run(new PrintStream(bytes, true, UTF_8));
    String output = bytes.toString(UTF_8);

    assertThat(output)
        .contains("1. request read; the key is a Secret: sk-...***")
        .contains("2. response: {\"name\":\"billing\",\"apiKey\":\"sk-...***\"}")
        .contains("3. sent to the client: {\"provider\":\"github\",\"state\":\"lk.…\"}")
        .contains("4. read back when the client returns: state has 31 chars")
        .contains("5. with REFUSE, writing the connector fails: a Secret is not written to JSON");
    Leaks.assertNoLeak("output", output, "sk-live-example-0123456789abcdef");
    Leaks.assertNoLeak("output", output, "p4ss-example");
    Leaks.assertNoLeak("output", output, "nonce=example-91f2;return=/home");
  }
}
