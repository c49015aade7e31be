package io.latchkey.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.SecretManagerServiceGrpc;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An answer that names a version of the secret's id in another project is not a version of the
 * secret asked for: {@code MALFORMED_RESPONSE} (docs/providers/gcp.md), when the request and the
 * answer both give the project as a number (or both as an id). A project id and a number cannot be
 * compared, and Secret Manager answers with the number, so that answer is accepted.
 */
final class AnswerFromAnotherProjectTest {
  private static final String ANSWERED = "projects/999999999999/secrets/db/versions/7";
  private static final String VALUE = "other-project-value-5c20";

  private final Server server = start();
  private final GcpSecretProvider provider =
      GcpSecretProvider.builder().endpoint("127.0.0.1:" + server.getPort()).plaintext(true).build();

  /** A server that answers every access and metadata call with version 7 in project 999... . */
  private static Server start() {
    try {
      return NettyServerBuilder.forAddress(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .directExecutor()
          .addService(
              new SecretManagerServiceGrpc.SecretManagerServiceImplBase() {
                @Override
                public void accessSecretVersion(
                    AccessSecretVersionRequest request,
                    StreamObserver<AccessSecretVersionResponse> observer) {
                  observer.onNext(
                      AccessSecretVersionResponse.newBuilder()
                          .setName(ANSWERED)
                          .setPayload(
                              SecretPayload.newBuilder()
                                  .setData(ByteString.copyFrom(VALUE, StandardCharsets.UTF_8)))
                          .build());
                  observer.onCompleted();
                }

                @Override
                public void getSecretVersion(
                    GetSecretVersionRequest request, StreamObserver<SecretVersion> observer) {
                  observer.onNext(
                      SecretVersion.newBuilder()
                          .setName(ANSWERED)
                          .setState(SecretVersion.State.ENABLED)
                          .build());
                  observer.onCompleted();
                }
              })
          .build()
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    provider.close();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void askedByProjectNumber_answeredWithAnotherNumber_isMalformed_withoutTheValue() {
    SecretRef ref = SecretRef.parse("gcp:projects/111111111111/secrets/db");

    ProviderException fetch =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(ref));
    ProviderException meta =
        catchThrowableOfType(ProviderException.class, () -> provider.currentVersionId(ref));

    assertThat(fetch).as("the answer names %s for %s", ANSWERED, ref).isNotNull();
    assertThat(fetch.kind()).isEqualTo(ProviderException.Kind.MALFORMED_RESPONSE);
    assertThat(fetch.isRetryable()).isFalse();
    assertThat(meta).isNotNull();
    assertThat(meta.kind()).isEqualTo(ProviderException.Kind.MALFORMED_RESPONSE);
    Leaks.assertNoLeak(List.of(fetch, meta), VALUE);
  }

  @Test
  void askedByTheSameNumber_isTheValue() {
    SecretRef ref = SecretRef.parse("gcp:projects/999999999999/secrets/db");

    assertThat(provider.fetch(ref).value().reveal()).isEqualTo(VALUE);
    assertThat(provider.currentVersionId(ref)).contains("7");
  }

  @Test
  void askedByProjectId_answeredWithANumber_cannotBeCompared_andIsTheValue() {
    SecretRef ref = SecretRef.parse("gcp:projects/my-project/secrets/db");

    assertThat(provider.fetch(ref).value().reveal()).isEqualTo(VALUE);
    assertThat(provider.currentVersionId(ref)).contains("7");
  }
}
