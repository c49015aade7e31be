/**
 * Re-encrypts stored ciphertexts under a key ring's primary key, the step of a key rotation that
 * moves existing data off the old key so that the old key can be retired.
 *
 * <p>{@link io.latchkey.reencrypt.ReencryptionJob} walks one or more {@linkplain
 * io.latchkey.reencrypt.CiphertextStore stores} page by page, {@linkplain
 * io.latchkey.KeyRing#rotate(String) rotates} every token that is not yet under the primary key,
 * writes it back with a compare-and-set so that a concurrent application write is never
 * overwritten, and returns a {@link io.latchkey.reencrypt.ReencryptionReport}. {@link
 * io.latchkey.reencrypt.JdbcCiphertextStore} adapts a column of a SQL table; applications implement
 * {@link io.latchkey.reencrypt.CiphertextStore} for anything else.
 *
 * <pre>{@code
 * KeyRing ring = FernetKeyRing.fromEnvironment("APP_ENCRYPTION_KEY");
 * ReencryptionReport report =
 *     ReencryptionJob.builder(ring)
 *         .target(
 *             JdbcCiphertextStore.builder(dataSource, Long.class)
 *                 .table("credentials")
 *                 .keyColumn("id")
 *                 .ciphertextColumn("secret")
 *                 .build())
 *         .build()
 *         .run();
 * System.out.println(report);
 * if (report.isClean()) {
 *   // every row was read and reads under the primary key: APP_ENCRYPTION_KEY_PREVIOUS can go
 * }
 * }</pre>
 *
 * <p>Nothing in this package accepts or returns {@code null}: absent values are {@link
 * java.util.Optional}, {@link java.util.OptionalLong} or empty collections, and a stored {@code
 * NULL} ciphertext is the empty string.
 *
 * <h2>Security</h2>
 *
 * <p>Reports, progress events, exception messages and log lines name targets, row keys, key
 * identifiers and counts; they never contain a ciphertext, a plaintext or a key. Row keys are
 * treated as identifiers, not secrets: do not use a secret as a row key.
 */
package io.latchkey.reencrypt;
