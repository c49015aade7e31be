package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** An endpoint is shown masked, as every URL Latchkey prints (docs/security.md). */
final class EndpointMaskingTest {
  private static final String PASSWORD = "hunter2hunter2hunter2";
  private static final String TOKEN = "FwoGZXIvYXdzEXAMPLEtoken";

  @Test
  void suppliedClient_endpointWithCredentials_maskedInDescriptionAndToString() {
    // A supplied client's endpoint is not checked as AWS_ENDPOINT_URL is, so it may hold anything.
    try (SecretsManagerClient client =
            SecretsManagerClient.builder()
                .region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(
                    URI.create(
                        "https://proxy:"
                            + PASSWORD
                            + "@sm.example:8443/p?X-Amz-Security-Token="
                            + TOKEN
                            + "&region=eu-west-1"))
                .build();
        AwsSecretProvider p = AwsSecretProvider.builder().client(client).build()) {
      assertThat(p.description())
          .isEqualTo(
              "AWS Secrets Manager (a supplied client, region eu-west-1, endpoint"
                  + " https://proxy:***@sm.example:8443/p?X-Amz-Security-Token=***"
                  + "&region=eu-west-1)");
      for (String secret : new String[] {PASSWORD, TOKEN}) {
        Leaks.assertNoLeak("description", p.description(), secret);
        Leaks.assertNoLeak("toString()", p.toString(), secret);
      }
    }
  }

  @Test
  void environment_endpoint_shownAsItIs() {
    try (AwsSecretProvider p =
        AwsSecretProvider.fromEnvironment(
            Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL", "https://sm.example/a"))) {
      assertThat(p.description())
          .isEqualTo("AWS Secrets Manager (region eu-west-1, endpoint https://sm.example/a)");
    }
  }
}
