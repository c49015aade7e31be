package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The providers example keeps working against the three loopback servers, and tells the truth. */
final class ProvidersExampleTest {
  @Test
  void run_walksThroughLoadingRotationOutageAndErrors() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProvidersExample.run(new PrintStream(bytes, true, UTF_8));
    String out = bytes.toString(UTF_8);

    assertThat(out)
        .contains("2. configuration loaded through three providers")
        .containsPattern("DATABASE_PASSWORD +provider +\\*\\*\\* +ok")
        .containsPattern("LLM_API_KEY +provider +sk-proj-\\.\\.\\.\\*\\*\\* +ok")
        // env is discovered but no reference goes through it: it has not answered, so not OK.
        .contains("health: aws=OK, env=UNKNOWN, gcp=OK, vault=OK")
        .containsPattern("listener: aws:prod/db#password changed from version [0-9a-f-]{36} to")
        .contains("the resolver serves the new password: true")
        .contains("the resolver serves the last good password, stale: true")
        .contains("aws=DEGRADED (last error: unavailable)")
        .contains("recovered; health: aws=OK")
        .contains("secret aws:prod/db#pasword: no field 'pasword'")
        .contains("secret gcp:no-such-secret: ")
        .contains("secret vault:secret/data/app@9: no version 9");
    // The example's secrets are 32 random hex digits: none may be printed.
    assertThat(out).doesNotContainPattern("[0-9a-f]{32}");
  }
}
