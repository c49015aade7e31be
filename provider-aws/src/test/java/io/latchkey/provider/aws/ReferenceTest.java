package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a reference's version becomes a {@code VersionId} or a {@code VersionStage} on the wire. */
final class ReferenceTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AwsSecretProvider provider = AwsSecretProvider.fromEnvironment(fake.environment());
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  private JsonNode sent(String ref) throws Exception {
    try {
      provider.fetch(SecretRef.parse(ref));
    } catch (RuntimeException e) {
      // Only the request matters here.
    }
    return json.readTree(fake.lastRequest("GetSecretValue").orElseThrow());
  }

  @Test
  void versionIds_areUuidLikeHexAndDashes_32To64Characters() {
    assertThat(AwsCalls.isVersionId("a1b2c3d4-5678-4abc-9def-0123456789ab")).isTrue();
    assertThat(AwsCalls.isVersionId("0123456789abcdef0123456789ABCDEF")).isTrue();
    assertThat(AwsCalls.isVersionId("f".repeat(64))).isTrue();
    assertThat(AwsCalls.isVersionId("f".repeat(31))).isFalse();
    assertThat(AwsCalls.isVersionId("f".repeat(65))).isFalse();
    assertThat(AwsCalls.isVersionId("AWSCURRENT")).isFalse();
    assertThat(AwsCalls.isVersionId("release-2024-06-01-blue-green-xx")).isFalse();
  }

  @Test
  void noVersion_sendsOnlyTheSecretId() throws Exception {
    JsonNode body = sent("aws:prod/db#password");

    assertThat(body.size()).isEqualTo(1);
    assertThat(body.path("SecretId").asText()).isEqualTo("prod/db");
  }

  @Test
  void aStage_isSentAsVersionStage() throws Exception {
    JsonNode body = sent("aws:prod/db@AWSPREVIOUS#password");

    assertThat(body.path("VersionStage").asText()).isEqualTo("AWSPREVIOUS");
    assertThat(body.has("VersionId")).isFalse();
  }

  @Test
  void aVersionId_isSentAsVersionId() throws Exception {
    JsonNode body = sent("aws:prod/db@a1b2c3d4-5678-4abc-9def-0123456789ab");

    assertThat(body.path("VersionId").asText()).isEqualTo("a1b2c3d4-5678-4abc-9def-0123456789ab");
    assertThat(body.has("VersionStage")).isFalse();
  }

  @Test
  void escapedCharacters_reachTheServiceDecoded() throws Exception {
    fake.putSecretString("team@prod/db", "value");

    assertThat(provider.fetch(SecretRef.parse("aws:team%40prod/db")).value().reveal())
        .isEqualTo("value");
    assertThat(sent("aws:team%40prod/db").path("SecretId").asText()).isEqualTo("team@prod/db");
  }
}
