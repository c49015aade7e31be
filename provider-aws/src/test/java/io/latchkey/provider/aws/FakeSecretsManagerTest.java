package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The loopback fake speaks the service's protocol: checked with the AWS SDK itself, and with raw
 * HTTP for what the SDK would never send.
 */
final class FakeSecretsManagerTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final SecretsManagerClient sdk =
      SecretsManagerClient.builder()
          .region(Region.of(fake.region()))
          .endpointOverride(fake.endpoint())
          .credentialsProvider(
              StaticCredentialsProvider.create(
                  AwsBasicCredentials.create(fake.accessKeyId(), fake.secretAccessKey())))
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void close() {
    sdk.close();
    fake.close();
  }

  private HttpResponse<String> post(String target, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(fake.endpoint().resolve("/"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", target);
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void unsignedRequests_areRejectedAsTheServiceRejectsThem() throws Exception {
    HttpResponse<String> response =
        post("secretsmanager.GetSecretValue", "{\"SecretId\":\"x\"}", Map.of());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .contains("MissingAuthenticationTokenException:");
    assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("application/x-amz-json-1.1");
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
    assertThat(body.path("message").asText()).isNotEmpty();
  }

  @Test
  void malformedOrForeignSignatures_areRejected() throws Exception {
    HttpResponse<String> malformed =
        post(
            "secretsmanager.GetSecretValue",
            "{}",
            Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=nonsense"));
    String date = "20260101";
    String foreign =
        "AWS4-HMAC-SHA256 Credential=AKIAFOREIGN000000000/"
            + date
            + "/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature="
            + "0".repeat(64);
    HttpResponse<String> unknownKey =
        post(
            "secretsmanager.GetSecretValue",
            "{}",
            Map.of("Authorization", foreign, "X-Amz-Date", date + "T000000Z"));
    String forged = foreign.replace("AKIAFOREIGN000000000", fake.accessKeyId());
    HttpResponse<String> badSignature =
        post(
            "secretsmanager.GetSecretValue",
            "{}",
            Map.of("Authorization", forged, "X-Amz-Date", date + "T000000Z"));

    assertThat(json.readTree(malformed.body()).path("__type").asText())
        .isEqualTo("IncompleteSignatureException");
    assertThat(json.readTree(unknownKey.body()).path("__type").asText())
        .isEqualTo("UnrecognizedClientException");
    assertThat(json.readTree(badSignature.body()).path("__type").asText())
        .isEqualTo("InvalidSignatureException");
    assertThat(fake.requests("GetSecretValue")).isEqualTo(3);
  }

  @Test
  void sdkCalls_roundTripThroughEveryOperation() {
    String created =
        sdk.createSecret(b -> b.name("app/db").secretString("{\"pw\":\"1\"}")).versionId();
    String put =
        sdk.putSecretValue(b -> b.secretId("app/db").secretBinary(SdkBytes.fromUtf8String("2")))
            .versionId();

    GetSecretValueResponse current = sdk.getSecretValue(b -> b.secretId("app/db"));
    assertThat(current.versionId()).isEqualTo(put);
    assertThat(current.secretBinary().asUtf8String()).isEqualTo("2");
    assertThat(current.secretString()).isNull();
    assertThat(current.versionStages()).containsExactly("AWSCURRENT");
    assertThat(current.createdDate()).isNotNull();
    assertThat(current.arn())
        .startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-");

    GetSecretValueResponse previous =
        sdk.getSecretValue(b -> b.secretId(current.arn()).versionStage("AWSPREVIOUS"));
    assertThat(previous.versionId()).isEqualTo(created);
    assertThat(previous.secretString()).isEqualTo("{\"pw\":\"1\"}");
    // Each version is stamped when it is written, so the older one is not after the newer.
    assertThat(previous.createdDate()).isBeforeOrEqualTo(current.createdDate());

    sdk.updateSecretVersionStage(
        b ->
            b.secretId("app/db")
                .versionStage("AWSCURRENT")
                .moveToVersionId(created)
                .removeFromVersionId(put));
    DescribeSecretResponse described = sdk.describeSecret(b -> b.secretId("app/db"));
    assertThat(described.versionIdsToStages())
        .containsOnly(
            Map.entry(created, List.of("AWSCURRENT")), Map.entry(put, List.of("AWSPREVIOUS")));

    sdk.deleteSecret(b -> b.secretId("app/db").recoveryWindowInDays(7L));
    assertThat(sdk.describeSecret(b -> b.secretId("app/db")).deletedDate()).isNotNull();
    SecretsManagerException deleted =
        catchThrowableOfType(
            SecretsManagerException.class, () -> sdk.getSecretValue(b -> b.secretId("app/db")));
    assertThat(deleted.awsErrorDetails().errorCode()).isEqualTo("InvalidRequestException");
  }

  @Test
  void stages_moveAsTheServiceMovesThem() {
    String v1 = fake.putSecretString("s", "1");
    String v2 = fake.putSecretString("s", "2");
    String v3 = fake.putSecretString("s", "3");
    fake.moveStage("s", "AWSPENDING", v1);

    Map<String, List<String>> stages =
        sdk.describeSecret(b -> b.secretId("s")).versionIdsToStages();

    assertThat(stages)
        .containsOnly(
            Map.entry(v1, List.of("AWSPENDING")),
            Map.entry(v2, List.of("AWSPREVIOUS")),
            Map.entry(v3, List.of("AWSCURRENT")));
  }

  @Test
  void batch_takesAtMostTwentyIds_andReportsMissingOnesInErrors() {
    List<String> ids = IntStream.range(0, 21).mapToObj(i -> "b" + i).collect(Collectors.toList());
    ids.forEach(id -> fake.putSecretString(id, id));

    SecretsManagerException tooMany =
        catchThrowableOfType(
            SecretsManagerException.class, () -> sdk.batchGetSecretValue(b -> b.secretIdList(ids)));
    var answer = sdk.batchGetSecretValue(b -> b.secretIdList("b1", "nope"));

    assertThat(tooMany.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(answer.secretValues()).extracting(e -> e.secretString()).containsExactly("b1");
    assertThat(answer.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.secretId()).isEqualTo("nope");
              assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
            });
  }

  @Test
  void concurrentRequests_areServedInParallel() throws Exception {
    fake.putSecretString("c", "v");
    fake.failOperation("GetSecretValue", Fault.HOLD, 20);
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> sdk.getSecretValue(b -> b.secretId("c")).secretString(),
              command -> new Thread(command).start()));
    }
    // Twenty requests held at once: served one at a time, the fake could never hold two.
    assertThat(fake.awaitHung(20, Duration.ofSeconds(30))).isTrue();
    fake.releaseHung();
    for (CompletableFuture<String> call : calls) {
      assertThat(call.get()).isEqualTo("v");
    }

    assertThat(fake.maxInFlight()).isEqualTo(20);
  }

  @Test
  void failures_countDown_andScopeToASecretOrAnOperation() {
    fake.putSecretString("a", "1");
    fake.putSecretString("b", "2");
    fake.fail(Fault.THROTTLING, 2);
    fake.failSecret("a", Fault.ACCESS_DENIED, 1);
    fake.failOperation("DescribeSecret", Fault.INTERNAL_ERROR);

    List<String> codes = new ArrayList<>();
    for (String id : List.of("b", "b", "a", "a", "b")) {
      try {
        sdk.getSecretValue(r -> r.secretId(id));
        codes.add("ok");
      } catch (SecretsManagerException e) {
        codes.add(e.awsErrorDetails().errorCode());
      }
    }
    SecretsManagerException describe =
        catchThrowableOfType(
            SecretsManagerException.class, () -> sdk.describeSecret(r -> r.secretId("b")));
    fake.clearFailures();

    assertThat(codes)
        .containsExactly(
            "ThrottlingException", "ThrottlingException", "AccessDeniedException", "ok", "ok");
    assertThat(describe.statusCode()).isEqualTo(500);
    assertThat(sdk.describeSecret(r -> r.secretId("b")).name()).isEqualTo("b");
  }

  @Test
  void close_stopsEveryThread_andReleasesHungRequests() throws Exception {
    fake.putSecretString("h", "v");
    fake.fail(Fault.HANG);
    Thread caller =
        new Thread(
            () -> {
              try {
                sdk.getSecretValue(b -> b.secretId("h"));
              } catch (RuntimeException expected) {
                // The fake closed the connection.
              }
            });
    caller.start();
    assertThat(fake.awaitHung(1, Duration.ofSeconds(30))).isTrue();

    fake.close();
    caller.join(5_000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("fake-secretsmanager-") && t.isAlive());
  }
}
