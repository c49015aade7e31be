/**
 * The {@linkplain io.latchkey.reencrypt.ReencryptionJob re-encryption job} that moves stored
 * ciphertexts to a {@link io.latchkey.KeyRing}'s primary key, the {@linkplain
 * io.latchkey.reencrypt.CiphertextStore store SPI} it reads and writes through, and {@link
 * io.latchkey.reencrypt.JdbcCiphertextStore}, a store over a column of a SQL table.
 *
 * <p>The job works on any {@link io.latchkey.KeyRing}: a Fernet or AES-GCM ring, or a ring that
 * moves a column from one format to the other, all in {@code io.latchkey.crypto} (Maven {@code
 * io.latchkey:latchkey-crypto}, which this module brings); with an AES-GCM ring it binds tokens to
 * associated data taken from each row.
 */
module io.latchkey.reencrypt {
  requires transitive io.latchkey;
  // Targets bind tokens to AssociatedData, and the job reads both token formats.
  requires transitive io.latchkey.crypto;
  // JdbcCiphertextStore takes a javax.sql.DataSource, so clients need java.sql too.
  requires transitive java.sql;

  exports io.latchkey.reencrypt;
}
