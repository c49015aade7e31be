package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The credentials a request is signed with: an access key id, its secret key, the session token of
 * temporary credentials, and when those expire. Never printed: {@link #toString()} names only
 * whether the credentials are temporary.
 */
final class AwsKeys {
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;
  private final Instant expiration;

  /**
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret access key
   * @param sessionToken the session token, or null for long-term keys
   * @param expiration when temporary credentials expire, or null if they do not
   */
  AwsKeys(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
    this.sessionToken = sessionToken;
    this.expiration = expiration;
  }

  String accessKeyId() {
    return accessKeyId;
  }

  String secretAccessKey() {
    return secretAccessKey;
  }

  /** The session token, or null. */
  String sessionToken() {
    return sessionToken;
  }

  /** When the credentials expire, or null. */
  Instant expiration() {
    return expiration;
  }

  @Override
  public String toString() {
    return sessionToken == null ? "AwsKeys[long-term]" : "AwsKeys[temporary]";
  }
}
