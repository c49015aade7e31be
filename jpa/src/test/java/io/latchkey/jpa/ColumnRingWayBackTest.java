package io.latchkey.jpa;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.KeyRing;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.MigrationKeyRing;
import org.junit.jupiter.api.Test;

/**
 * The way back from AES-GCM to Fernet for a column-bound attribute: the converter writes Fernet
 * with {@code MigrationKeyRing.toFernet} (jpa-and-jackson.md: "an attribute bound to its table and
 * column takes either, and its new tokens then bind nothing"), and {@link LatchkeyJpa#columnRing}
 * is documented as the ring with which "the job rotates exactly what @Encrypted or a converter
 * wrote". The job's plaintext mode encrypts a plaintext row with that ring's {@code encrypt}.
 */
final class ColumnRingWayBackTest {
  static final class NoteColumn extends EncryptedStringConverter {
    NoteColumn(KeyRing ring) {
      super("credentials", "note", ring);
    }
  }

  @Test
  void columnRing_ofARingThatWritesFernet_encryptsAsTheConverterDoes() {
    FernetKeyRing fernet = FernetKeyRing.of(FernetKey.generate());
    AesGcmKeyRing aes = AesGcmKeyRing.of(AesGcmKey.generate());
    MigrationKeyRing back = MigrationKeyRing.toFernet(fernet, aes);

    // The converter on the way back writes a Fernet token for the column.
    String written = new NoteColumn(back).convertToDatabaseColumn("canary-note");
    assertThat(fernet.decrypt(written)).asString(UTF_8).isEqualTo("canary-note");

    // The job's ring for the same column (what its plaintext mode calls for a plaintext row).
    KeyRing jobRing = LatchkeyJpa.columnRing(back, "credentials", "note");
    String token = null;
    RuntimeException failure = null;
    try {
      token = jobRing.encrypt("canary-note".getBytes(UTF_8));
    } catch (RuntimeException e) {
      failure = e;
    }
    assertThat(failure)
        .as("columnRing(toFernet).encrypt, which the job's plaintext mode calls for every row")
        .isNull();
    assertThat(fernet.decrypt(token)).asString(UTF_8).isEqualTo("canary-note");
    assertThat(new NoteColumn(back).convertToEntityAttribute(token)).isEqualTo("canary-note");
  }
}
