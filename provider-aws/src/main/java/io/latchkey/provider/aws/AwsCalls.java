package io.latchkey.provider.aws;

import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.DenialBackoff;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The calls for one secret: {@code GetSecretValue} for its value, and {@code DescribeSecret} for
 * the id of its current version, paused for that secret with a back-off while the credentials may
 * not call it.
 */
final class AwsCalls {
  /** The stage a reference without a version follows. */
  static final String CURRENT = "AWSCURRENT";

  /** The pause of a secret's version checks after a first denial of {@code DescribeSecret}. */
  static final Duration DESCRIBE_FIRST_PAUSE = Duration.ofMinutes(1);

  /** The longest pause, however many denials in a row. */
  static final Duration DESCRIBE_LONGEST_PAUSE = Duration.ofMinutes(30);

  private static final Pattern VERSION_ID = Pattern.compile("[0-9a-fA-F-]{32,64}");

  private final AwsClient client;
  private final AwsValues values;
  private final DenialBackoff describeDenials;

  AwsCalls(AwsClient client, AwsValues values, Clock clock) {
    this.client = client;
    this.values = values;
    this.describeDenials = new DenialBackoff(clock, DESCRIBE_FIRST_PAUSE, DESCRIBE_LONGEST_PAUSE);
  }

  /** Tells a version id (a UUID, or another 32 to 64 hex digits and dashes) from a stage. */
  static boolean isVersionId(String version) {
    return VERSION_ID.matcher(version).matches();
  }

  /** Fetches the version the reference names, with one {@code GetSecretValue}. */
  SecretVersion fetch(SecretRef ref) {
    String versionId = null;
    String stage = null;
    if (ref.version().isPresent()) {
      String v = ref.version().get();
      if (isVersionId(v)) {
        versionId = v;
      } else {
        stage = v;
      }
    }
    SecretsApi.Value response;
    try {
      response = client.api().getSecretValue(ref.path(), versionId, stage);
    } catch (SecretsApi.CallFailed e) {
      throw e.map(ref, "GetSecretValue", client.timeout());
    }
    return values.version(
        ref, response.versionId(), response.stages(), response.string(), response.binary());
  }

  /**
   * Returns the id of the version that carries the reference's stage, from one {@code
   * DescribeSecret}, or the version id the reference names without a call; empty while the
   * credentials may not call {@code DescribeSecret} on the secret.
   */
  Optional<String> currentVersionId(SecretRef ref) {
    Optional<String> version = ref.version();
    if (version.isPresent() && isVersionId(version.get())) {
      return version;
    }
    // A denial may be transient (a policy being edited, a session renewed): a condition to check
    // again after a pause, for this secret, never a switch for the provider's life.
    if (!describeDenials.mayCall(ref.path())) {
      return Optional.empty();
    }
    String stage = version.orElse(CURRENT);
    SecretsApi.Description response;
    try {
      response = client.api().describeSecret(ref.path());
    } catch (SecretsApi.CallFailed e) {
      if ("AccessDeniedException".equals(e.code())) {
        if (describeDenials.denied(ref.path())) {
          AwsLog.LOG.warn(
              "secret {}: not allowed to call secretsmanager:DescribeSecret; values are fetched on"
                  + " each refresh until a later check is allowed (grant DescribeSecret to save"
                  + " those calls)",
              ref);
        }
        return Optional.empty();
      }
      throw e.map(ref, "DescribeSecret", client.timeout());
    }
    if (describeDenials.allowed(ref.path())) {
      AwsLog.LOG.info("secret {}: DescribeSecret is allowed again; version checks resume", ref);
    }
    if (response.deleted()) {
      throw new SecretNotFoundException(ref, "the secret is scheduled for deletion");
    }
    if (response.versionIdsToStages() == null) {
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
