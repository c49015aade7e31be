package io.latchkey.provider.aws;

import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * The calls for one secret: {@code GetSecretValue} for its value, and {@code DescribeSecret} for
 * the id of its current version, paused with a back-off while the credentials may not call it.
 */
final class AwsCalls {
  /** The stage a reference without a version follows. */
  static final String CURRENT = "AWSCURRENT";

  private static final Pattern VERSION_ID = Pattern.compile("[0-9a-fA-F-]{32,64}");

  private final AwsClient client;
  private final AwsValues values;
  private final DescribeBackoff describeBackoff;

  AwsCalls(AwsClient client, AwsValues values, Clock clock) {
    this.client = client;
    this.values = values;
    this.describeBackoff = new DescribeBackoff(clock);
  }

  /** Tells a version id (a UUID, or another 32 to 64 hex digits and dashes) from a stage. */
  static boolean isVersionId(String version) {
    return VERSION_ID.matcher(version).matches();
  }

  /** Fetches the version the reference names, with one {@code GetSecretValue}. */
  SecretVersion fetch(SecretRef ref) {
    GetSecretValueRequest.Builder request =
        GetSecretValueRequest.builder()
            .secretId(ref.path())
            .overrideConfiguration(client.callConfig());
    ref.version()
        .ifPresent(
            v -> {
              if (isVersionId(v)) {
                request.versionId(v);
              } else {
                request.versionStage(v);
              }
            });
    GetSecretValueResponse response;
    try {
      response = client.sdk().getSecretValue(request.build());
    } catch (SdkException e) {
      throw AwsErrors.map(ref, "GetSecretValue", e, client.timeout());
    }
    return values.version(
        ref,
        response.versionId(),
        response.hasVersionStages() ? response.versionStages() : List.of(),
        response.secretString(),
        response.secretBinary());
  }

  /**
   * Returns the id of the version that carries the reference's stage, from one {@code
   * DescribeSecret}, or the version id the reference names without a call; empty while the
   * credentials may not call {@code DescribeSecret}.
   */
  Optional<String> currentVersionId(SecretRef ref) {
    Optional<String> version = ref.version();
    if (version.isPresent() && isVersionId(version.get())) {
      return version;
    }
    if (describeBackoff.isPaused()) {
      return Optional.empty();
    }
    String stage = version.orElse(CURRENT);
    DescribeSecretResponse response;
    try {
      response =
          client
              .sdk()
              .describeSecret(
                  DescribeSecretRequest.builder()
                      .secretId(ref.path())
                      .overrideConfiguration(client.callConfig())
                      .build());
    } catch (SdkException e) {
      if ("AccessDeniedException".equals(AwsErrors.code(e))) {
        if (describeBackoff.denied()) {
          AwsLog.LOG.warn(
              "secret {}: not allowed to call secretsmanager:DescribeSecret; values are fetched on"
                  + " each refresh until a later check is allowed (grant DescribeSecret to save"
                  + " those calls)",
              ref);
        }
        return Optional.empty();
      }
      throw AwsErrors.map(ref, "DescribeSecret", e, client.timeout());
    }
    if (describeBackoff.allowed()) {
      AwsLog.LOG.info("secret {}: DescribeSecret is allowed again; version checks resume", ref);
    }
    if (response.deletedDate() != null) {
      throw new SecretNotFoundException(ref, "the secret is scheduled for deletion");
    }
    if (!response.hasVersionIdsToStages()) {
      throw new ProviderException(
          ref,
          ProviderException.Kind.MALFORMED_RESPONSE,
          "the answer to DescribeSecret has no VersionIdsToStages");
    }
    for (Map.Entry<String, List<String>> e : response.versionIdsToStages().entrySet()) {
      if (e.getValue() != null && e.getValue().contains(stage)) {
        return Optional.of(e.getKey());
      }
    }
    throw new SecretNotFoundException(ref, "no version has the stage '" + stage + "'");
  }
}
