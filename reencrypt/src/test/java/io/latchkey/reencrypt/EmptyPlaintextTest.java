package io.latchkey.reencrypt;

import static io.latchkey.reencrypt.CredentialsTable.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A plaintext column encrypted in place, on H2, one of whose values is the empty string: the job
 * leaves it as it leaves {@code NULL} (it holds no value to hide), counts both as empty, and the
 * report is clean once every row that holds a value is a token under the primary key, as
 * rotation.md says; the JPA integration reads the empty string as the empty value.
 */
final class EmptyPlaintextTest {
  final FernetKey key = FernetKey.generate();
  final FernetKeyRing ring = FernetKeyRing.of(key);

  @Test
  void encryptPlaintext_leavesAnEmptyStringAsItLeavesNull_andCountsBoth() throws Exception {
    CredentialsTable table =
        new CredentialsTable(CredentialsTable.h2("empty-" + UUID.randomUUID())).recreate();
    table.insert(1, 1, id -> CANARY + "plain-1");
    table.insert(2, 1, id -> "");
    table.insert(3, 1, id -> null);

    ReencryptionReport report =
        ReencryptionJob.builder(ring)
            .target(table.store().build())
            .encryptPlaintext(true)
            .build()
            .run();

    assertThat(report.isClean()).as(report.verdict()).isTrue();
    assertThat(report.empty()).isEqualTo(2);
    assertThat(report.verdict()).contains("2 rows hold no value (NULL or empty)");
    Map<Long, String> secrets = table.secrets();
    assertThat(ring.isPrimary(secrets.get(1L))).isTrue();
    assertThat(ring.decrypt(secrets.get(1L))).asString(UTF_8).isEqualTo(CANARY + "plain-1");
    assertThat(secrets.get(2L)).isEmpty();
    assertThat(secrets.get(3L)).isNull();
  }
}
