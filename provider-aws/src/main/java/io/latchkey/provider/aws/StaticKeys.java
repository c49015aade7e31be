package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

/**
 * Keys known up front, from settings, system properties, the environment or a profile: nothing to
 * fetch, refresh or release.
 */
final class StaticKeys implements KeySource {
  private final AwsKeys keys;
  private final String description;

  /**
   * @param keys the keys
   * @param description where they come from, naming settings and never a value
   */
  StaticKeys(AwsKeys keys, String description) {
    this.keys = requireNonNull(keys, "keys");
    this.description = requireNonNull(description, "description");
  }

  /** Returns the keys, whatever the deadline. */
  @Override
  public AwsKeys keys(long deadline) {
    return keys;
  }

  @Override
  public String description() {
    return description;
  }

  /** Does nothing: static keys hold no connection. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "StaticKeys[" + description + "]";
  }
}
