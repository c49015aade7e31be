package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.Secret;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one key-list setting: the current key, read from {@code NAME}, and the older keys
 * still accepted, read from {@code NAME_PREVIOUS} (comma-separated).
 *
 * <p>This is the environment convention every Latchkey key ring reads: during a rotation the new
 * key goes into {@code NAME} and the old one moves to {@code NAME_PREVIOUS}, so that values made
 * with it stay readable until they have been re-encrypted.
 *
 * <h2>Security</h2>
 *
 * <p>{@link #toString()} shows the current key's mask and the number of previous keys, never a key.
 * Jackson writes the same string, and refuses to read a key list; Gson writes no key, since a
 * {@link Secret}'s fields are {@code transient}. Like {@link Secret}, a key list has identity
 * equality.
 *
 * @since 0.1
 */
public final class KeyList {
  /** The suffix of the variable that holds the older keys. */
  static final String PREVIOUS_SUFFIX = "_PREVIOUS";

  private final Secret current;
  private final List<Secret> previous;

  private KeyList(Secret current, List<Secret> previous) {
    this.current = current;
    this.previous = previous;
  }

  /**
   * Creates a key list.
   *
   * @param current the key to use for new values
   * @param previous older keys, newest first; copied
   * @return the key list
   */
  public static KeyList of(Secret current, List<Secret> previous) {
    requireNonNull(current, "current");
    requireNonNull(previous, "previous");
    return new KeyList(current, List.copyOf(previous));
  }

  /**
   * Returns the current key, from {@code NAME}.
   *
   * @return the current key
   */
  public Secret current() {
    return current;
  }

  /**
   * Returns the older keys, from {@code NAME_PREVIOUS}, in the order they were listed.
   *
   * @return an unmodifiable list, empty when there are none
   */
  public List<Secret> previous() {
    return previous;
  }

  /**
   * Returns every key, the current one first: the order a key ring tries them in.
   *
   * @return an unmodifiable list with at least one element
   */
  public List<Secret> all() {
    List<Secret> all = new ArrayList<>(previous.size() + 1);
    all.add(current);
    all.addAll(previous);
    return List.copyOf(all);
  }

  /**
   * Returns {@code KeyList[current=***, previous=2]}; never a key. Jackson writes the same string.
   *
   * @return the masked description
   */
  @JsonValue
  @Override
  public String toString() {
    return "KeyList[current=" + current + ", previous=" + previous.size() + "]";
  }

  /**
   * What Jackson calls to read a {@code KeyList}: it refuses, without quoting what it was given.
   * Without a creator, Jackson's own refusal quotes the JSON string, which would be a key. It takes
   * an {@code Object}, not a {@code String}: Jackson would also use a {@code String} factory for
   * map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static KeyList fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.config.KeyList is not read from JSON, which would hold a key;"
            + " load it with a ConfigSchema");
  }
}
