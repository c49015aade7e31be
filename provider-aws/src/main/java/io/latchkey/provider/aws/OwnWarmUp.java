package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.spi.Http1Client;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Loads and initialises the provider's own client the way its first call will: a request encoded
 * and signed with throw-away credentials, an empty batch answer checked and read, with no socket
 * opened and no file read.
 */
final class OwnWarmUp {
  private static final byte[] EMPTY_BATCH = "{\"SecretValues\":[],\"Errors\":[]}".getBytes(UTF_8);

  private OwnWarmUp() {}

  /**
   * Runs the warm-up.
   *
   * @return the signed request's headers, for tests
   */
  static List<String[]> run() {
    byte[] body = OwnSecretsApi.batchBody(List.of("latchkey-warm-up")).getBytes(UTF_8);
    List<String[]> headers =
        RequestSigner.sign(
            "POST",
            "127.0.0.1",
            "/",
            "",
            OwnSecretsApi.headers("BatchGetSecretValue"),
            body,
            new AwsKeys("warm-up", "warm-up", null, null),
            AwsClientFactory.ENDPOINT_REGION,
            OwnSecretsApi.SERVICE,
            Instant.EPOCH);
    // Never connected: building and closing the client loads its classes only.
    try (Http1Client http =
        new Http1Client(
            URI.create("http://127.0.0.1"),
            null,
            Duration.ofSeconds(1),
            AwsAnswers.BATCH_CAP,
            System::nanoTime)) {
      http.request("POST", "/", headers, body, true).wipe();
    }
    AwsAnswers.checked("BatchGetSecretValue", EMPTY_BATCH).optionalArray("SecretValues");
    return headers;
  }
}
