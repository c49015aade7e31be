package io.latchkey.crypto;

import io.latchkey.ConfigException;
import java.util.List;

/**
 * Keys that follow their source: a key ring, or an API-key verifier, loaded through a {@link
 * io.latchkey.resolver.SecretResolver} from the references its variables name, and replaced by a
 * new one each time the resolver holds a new version of them, without a restart.
 *
 * <pre>{@code
 * // APP_ENCRYPTION_KEY (and APP_ENCRYPTION_KEY_PREVIOUS): from the environment, .env, a mounted
 * // file through APP_ENCRYPTION_KEY_FILE, or any provider ("aws:prod/app#APP_ENCRYPTION_KEY").
 * FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, "APP_ENCRYPTION_KEY");
 * String token = keys.current().encrypt(plaintext);   // the ring in use now
 * }</pre>
 *
 * <p>Each kind's {@code following} method says which variables it reads: {@link
 * FernetKeyRing#following}, {@link io.latchkey.crypto.aead.AesGcmKeyRing#following}, {@link
 * io.latchkey.crypto.signing.SigningKeyRing#following} and {@link
 * io.latchkey.crypto.apikey.ApiKeyVerifier#following}.
 *
 * <p>A new version is taken only if it loads and keeps the key that is current now among its keys:
 * that key wrote (or signed, or is presented as) what exists, and a ring without it would make that
 * unreadable. Keys that do not load (a rotated file that is not a valid key) and a change that
 * drops the current key are refused: the keys in use stay, one warning names the variable and the
 * reason (never a key), and {@link #problems()} says so until the source is fixed. A variable that
 * cannot be read (its backend is down) keeps the keys in use too, and the problem names that
 * variable, {@code NAME_PREVIOUS} when it is the one that failed, not {@code NAME}. To retire the
 * current key at once (it leaked), make the new key current with the old one as previous, then
 * remove the old one: two changes, each kept.
 *
 * <h2>Security</h2>
 *
 * <p>{@code toString()}, problems and log lines name variables and key identifiers, never a key.
 *
 * @param <R> the kind of keys: a key ring, or an API-key verifier
 * @since 0.2
 */
public interface FollowingKeys<R> extends AutoCloseable {
  /**
   * Returns the keys in use now. Take them for each operation, or once for a job that must use one
   * ring throughout (a re-encryption).
   *
   * @return the keys
   */
  R current();

  /**
   * Says why the source's latest version is not in use: each problem names the variable or the key
   * identifier and the reason, never a key. For a readiness check: not empty means the keys in use
   * are older than the source.
   *
   * @return the problems; empty while the keys in use are the source's latest
   */
  List<ConfigException.Problem> problems();

  /** Stops following: the keys in use stay as they are. Idempotent. */
  @Override
  void close();
}
