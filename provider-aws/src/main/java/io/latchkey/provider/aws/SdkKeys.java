package io.latchkey.provider.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Hands static keys to the SDK, when its client is the one used; only that path loads it. */
final class SdkKeys {
  private SdkKeys() {}

  static AwsCredentialsProvider provider(AwsKeys keys) {
    return StaticCredentialsProvider.create(
        keys.sessionToken() == null
            ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
            : AwsSessionCredentials.create(
                keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()));
  }
}
