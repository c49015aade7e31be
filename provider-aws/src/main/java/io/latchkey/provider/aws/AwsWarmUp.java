package io.latchkey.provider.aws;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Loads and initialises the SDK the way the provider's first call will: builds the HTTP client the
 * provider uses (and closes it unused), then a Secrets Manager client whose HTTP client answers in
 * memory, and makes one {@code BatchGetSecretValue} call through it, so that the request is
 * marshalled, signed with throw-away credentials and its answer parsed, with no socket opened.
 */
final class AwsWarmUp {
  private static final byte[] EMPTY_BATCH =
      "{\"SecretValues\":[],\"Errors\":[]}".getBytes(StandardCharsets.UTF_8);

  private AwsWarmUp() {}

  /**
   * Runs the warm-up.
   *
   * @return the requests the in-memory HTTP client answered (one), for tests
   */
  static InMemoryHttp run() {
    UrlConnectionHttpClient.builder().build().close();
    InMemoryHttp http = new InMemoryHttp();
    try (SecretsManagerClient client =
        SecretsManagerClient.builder()
            .region(Region.of(AwsClientFactory.ENDPOINT_REGION))
            // Never contacted: the HTTP client below answers every request itself.
            .endpointOverride(URI.create("http://127.0.0.1"))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("warm-up", "warm-up")))
            .httpClient(http)
            .overrideConfiguration(
                c ->
                    c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new AnswerCheck()))
            .build()) {
      client.batchGetSecretValue(b -> b.secretIdList("latchkey-warm-up"));
    }
    return http;
  }

  /** An HTTP client that answers every request with an empty batch, and keeps what it was sent. */
  static final class InMemoryHttp implements SdkHttpClient {
    final AtomicInteger requests = new AtomicInteger();
    volatile String target;
    volatile String authorization;

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          requests.incrementAndGet();
          target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
          authorization = request.httpRequest().firstMatchingHeader("Authorization").orElse(null);
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", "application/x-amz-json-1.1")
                      .putHeader("Content-Length", Integer.toString(EMPTY_BATCH.length))
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_BATCH)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public String clientName() {
      return "latchkey-warm-up";
    }

    @Override
    public void close() {}
  }
}
