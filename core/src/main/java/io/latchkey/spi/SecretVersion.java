package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.Secret;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One version of a secret as a provider fetched it: the value, the backend's id for the version,
 * the stages or labels pointing at it, and when it was fetched.
 *
 * <p>A version's value never changes, so a resolver that knows the current version id can keep the
 * value it already holds without fetching it again.
 *
 * <p>Like {@link Secret}, a version never writes its value: Jackson writes the same string as
 * {@link #toString()}, Gson writes the value as {@code {}}, and Java serialisation refuses.
 *
 * @param value the value (for a reference with a field, the field's value)
 * @param versionId the backend's id for this version, such as an AWS version UUID or a GCP version
 *     number; empty if the backend has none
 * @param stages the stages or labels that point at this version, such as {@code AWSCURRENT}; copied
 * @param fetchedAt when the provider fetched it
 * @since 0.1
 */
public record SecretVersion(
    Secret value, Optional<String> versionId, Set<String> stages, Instant fetchedAt) {

  /**
   * Validates and copies the components.
   *
   * @param value the value
   * @param versionId the backend's id for this version, or empty
   * @param stages the stages or labels; copied
   * @param fetchedAt when it was fetched
   */
  public SecretVersion {
    requireNonNull(value, "value");
    requireNonNull(versionId, "versionId");
    stages = Set.copyOf(requireNonNull(stages, "stages"));
    requireNonNull(fetchedAt, "fetchedAt");
  }

  /**
   * Returns a version the backend has no id for.
   *
   * @param value the value
   * @param fetchedAt when it was fetched
   * @return the version
   */
  public static SecretVersion of(Secret value, Instant fetchedAt) {
    return new SecretVersion(value, Optional.empty(), Set.of(), fetchedAt);
  }

  /**
   * Returns a version with the backend's id for it.
   *
   * @param value the value
   * @param versionId the backend's id for this version
   * @param fetchedAt when it was fetched
   * @return the version
   */
  public static SecretVersion of(Secret value, String versionId, Instant fetchedAt) {
    requireNonNull(versionId, "versionId");
    return new SecretVersion(value, Optional.of(versionId), Set.of(), fetchedAt);
  }

  /**
   * Returns the version id, stages and time; the value is masked as {@link Secret} masks it.
   * Jackson writes the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "SecretVersion[value="
        + value
        + ", versionId="
        + versionId.orElse("none")
        + ", stages="
        + stages
        + ", fetchedAt="
        + fetchedAt
        + "]";
  }

  /**
   * What Jackson calls to read a {@code SecretVersion}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be its
   * value. It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code
   * String} factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static SecretVersion fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.spi.SecretVersion is not read from JSON, which would hold its value;"
            + " a provider makes versions from what its backend returns");
  }
}
