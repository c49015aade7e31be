/**
 * The {@linkplain io.latchkey.reencrypt.ReencryptionJob re-encryption job} that moves stored
 * ciphertexts to a {@link io.latchkey.KeyRing}'s primary key, the {@linkplain
 * io.latchkey.reencrypt.CiphertextStore store SPI} it reads and writes through, and {@link
 * io.latchkey.reencrypt.JdbcCiphertextStore}, a store over a column of a SQL table.
 *
 * <p>The job works on any {@link io.latchkey.KeyRing}; the Fernet ring is in {@code
 * io.latchkey.crypto} (Maven {@code io.latchkey:latchkey-crypto}), which an application adds
 * beside this module.
 */
module io.latchkey.reencrypt {
  requires transitive io.latchkey;
  // JdbcCiphertextStore takes a javax.sql.DataSource, so clients need java.sql too.
  requires transitive java.sql;

  exports io.latchkey.reencrypt;
}
