package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * What a reference gets from a KV secret's data, for a fetch and for a field read out of a whole
 * secret fetched before, so that the two always agree: with {@code #field}, that member by {@link
 * JsonValue#field}'s rule (a {@code null} member is absent); without, the only member's value when
 * the secret has one, else the data object's JSON text.
 */
final class KvValues {
  // A field-less reference of a one-key secret gets that key's value, which alone cannot say that
  // it came from a one-key secret, nor name the key. So each whole value is remembered by identity
  // (Secret has no content equals) with its only key, and forgotten when the resolver drops it.
  private final Map<Secret, String> onlyKeys = Collections.synchronizedMap(new WeakHashMap<>());

  /** Returns what {@code ref} gets from a KV secret's {@code data}. */
  Secret select(SecretRef ref, JsonValue data) {
    // The data is parsed already: its members by the #field rule, without reading the text again.
    Map<String, String> fields = data.fields();
    if (ref.field().isPresent()) {
      String member = fields.get(ref.field().get());
      if (member == null) {
        throw noField(ref);
      }
      return Secret.of(member);
    }
    if (data.names().size() == 1) {
      String key = data.names().iterator().next();
      String only = fields.get(key);
      if (only != null) {
        Secret value = Secret.of(only);
        onlyKeys.put(value, key);
        return value;
      }
    }
    return Secret.of(data.text());
  }

  /**
   * Reads the field {@code ref} names out of a whole secret {@link #select} gave, with the whole
   * version's id and time; a whole from elsewhere is read as a JSON object.
   *
   * @throws SecretNotFoundException if there is no such field, or the whole is not a JSON object
   */
  SecretVersion field(SecretRef ref, SecretVersion whole) {
    requireNonNull(ref, "ref");
    requireNonNull(whole, "whole");
    String name =
        ref.field().orElseThrow(() -> new IllegalArgumentException("reference has no field"));
    String onlyKey = onlyKeys.get(whole.value());
    Secret value;
    if (onlyKey != null) {
      if (!onlyKey.equals(name)) {
        throw noField(ref);
      }
      value = Secret.of(whole.value().reveal());
    } else {
      value = member(ref, whole.value().reveal());
    }
    return new SecretVersion(value, whole.versionId(), whole.stages(), whole.fetchedAt());
  }

  private static Secret member(SecretRef ref, String object) {
    String name = ref.field().orElseThrow();
    Optional<String> member;
    try {
      member = JsonValue.field(object, name);
    } catch (IllegalArgumentException e) {
      throw new SecretNotFoundException(
          ref, "the secret is not a JSON object, so it has no field '" + name + "'");
    }
    return Secret.of(member.orElseThrow(() -> noField(ref)));
  }

  private static SecretNotFoundException noField(SecretRef ref) {
    return new SecretNotFoundException(
        ref, "the secret has no field '" + ref.field().orElseThrow() + "'");
  }

  @Override
  public String toString() {
    return "KvValues[" + onlyKeys.size() + " one-key values]";
  }
}
