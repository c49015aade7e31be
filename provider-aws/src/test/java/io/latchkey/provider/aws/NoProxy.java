package io.latchkey.provider.aws;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Map;

/**
 * The precondition of the tests that expect the provider's own client: no proxy configured in the
 * process running them. With one (a developer's {@code HTTPS_PROXY}, say), the provider rightly
 * calls through the SDK's client, which follows it; those tests are then skipped, saying why.
 */
final class NoProxy {
  private NoProxy() {}

  static void assume() {
    assumeFalse(
        AwsClientFactory.proxied(Map.of(), AwsClientFactory.systemProperties()),
        "a proxy is configured in this process, so the provider calls through the SDK's client");
  }
}
