package io.latchkey.provider.aws;

import java.util.List;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;

/** Matches the ids a {@code BatchGetSecretValue} asked for to the entries it answered. */
final class BatchIds {
  private BatchIds() {}

  /** Finds the entry for an id: a name, a full ARN, or a partial ARN (without the suffix). */
  static SecretValueEntry matching(String id, List<SecretValueEntry> entries) {
    for (SecretValueEntry e : entries) {
      if (id.equals(e.name()) || id.equals(e.arn())) {
        return e;
      }
    }
    if (id.startsWith("arn:")) {
      for (SecretValueEntry e : entries) {
        String arn = e.arn();
        if (arn != null && arn.length() == id.length() + 7 && arn.startsWith(id + "-")) {
          return e;
        }
      }
    }
    return null;
  }
}
