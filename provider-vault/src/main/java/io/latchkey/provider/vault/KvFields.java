package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Selects what a reference gets from a KV secret's data, for a fetch and for a field read out of
 * a whole secret fetched before, so that the two always agree.
 */
final class KvFields {
  // A field-less reference gets the only member's value when the secret has one key, and the data
  // object's JSON text otherwise; that value alone cannot say which, nor name the key. So each
  // whole value is remembered by identity (Secret has no content equals) with its only key, or
  // none for an object, and forgotten when the resolver drops it.
  private final Map<Secret, Optional<String>> wholes =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** Returns what {@code ref} gets from a KV secret's {@code data}. */
  Secret select(SecretRef ref, JsonNode data) {
    if (ref.field().isPresent()) {
      return member(ref, data);
    }
    if (data.size() == 1) {
      Secret value = Secret.of(Json.text(data.elements().next()));
      wholes.put(value, Optional.of(data.fieldNames().next()));
      return value;
    }
    Secret value = Secret.of(Json.text(data));
    wholes.put(value, Optional.empty());
    return value;
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
    Optional<String> onlyKey = wholes.get(whole.value());
    Secret value;
    if (onlyKey != null && onlyKey.isPresent()) {
      if (!onlyKey.get().equals(name)) {
        throw noField(ref);
      }
      value = Secret.of(whole.value().reveal());
    } else {
      byte[] bytes = whole.value().revealBytes();
      Optional<JsonNode> data;
      try {
        data = Json.tryParse(bytes).filter(JsonNode::isObject);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
      if (data.isEmpty()) {
        throw new SecretNotFoundException(
            ref, "the secret is not a JSON object, so it has no field '" + name + "'");
      }
      value = member(ref, data.get());
    }
    return new SecretVersion(value, whole.versionId(), whole.stages(), whole.fetchedAt());
  }

  private static Secret member(SecretRef ref, JsonNode data) {
    JsonNode member = data.get(ref.field().orElseThrow());
    if (member == null) {
      throw noField(ref);
    }
    return Secret.of(Json.text(member));
  }

  private static SecretNotFoundException noField(SecretRef ref) {
    return new SecretNotFoundException(
        ref, "the secret has no field '" + ref.field().orElseThrow() + "'");
  }
}
