package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * The provider's own Secrets Manager client: the AWS JSON 1.1 protocol (RFC-less, as the service's
 * API reference and the SDK's wire format define it: {@code POST /}, {@code X-Amz-Target}, a JSON
 * body), signed with {@link RequestSigner}, on core's {@link Http1Client}. No SDK class is loaded,
 * which saves a fresh JVM about half a second of CPU, and nothing logs a header at any level.
 *
 * <p>Each call is bounded by the per-call time-out, credentials included; {@link #close()} aborts
 * the calls in flight. A call is sent once: the resolver retries, with its back-off. Reads are
 * idempotent, so a call may go out on a kept-alive connection and is sent again on another only
 * when that one turns out closed before a byte of the answer came back.
 */
final class OwnSecretsApi implements SecretsApi {
  private static final String SERVICE = "secretsmanager";

  private final Http1Client http;
  private final String host;
  private final String path;
  private final String region;
  private final KeySource keys;
  private final Supplier<Duration> timeout;
  private final Clock clock;
  private final Set<Http1Client.Call> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * @param endpoint the service's address: the region's, or an override
   * @param region the region requests are signed for
   * @param keys the credentials' source, which the client closes
   * @param timeout the per-call time-out, read at each call
   * @param clock the signing time's clock
   */
  OwnSecretsApi(
      URI endpoint, String region, KeySource keys, Supplier<Duration> timeout, Clock clock) {
    boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
    this.http =
        new Http1Client(
            endpoint,
            https ? () -> (SSLSocketFactory) SSLSocketFactory.getDefault() : null,
            timeout.get(),
            AwsAnswers.BATCH_CAP,
            System::nanoTime);
    this.host = endpoint.getRawAuthority();
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    this.path = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/";
    this.region = region;
    this.keys = keys;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * The region's endpoint in the commercial, China, GovCloud and European Sovereign Cloud
   * partitions, or null where the SDK's endpoint rules must find it (the isolated partitions, and
   * regions not known here).
   */
  static URI regionEndpoint(String region) {
    String domain = KeyChain.dnsSuffix(region);
    if (domain == null || !domain.startsWith("amazonaws.")) {
      return null;
    }
    return URI.create("https://secretsmanager." + region + "." + domain);
  }

  @Override
  public Value getSecretValue(String secretId, String versionId, String versionStage) {
    StringBuilder body = new StringBuilder("{\"SecretId\":").append(quote(secretId));
    if (versionId != null) {
      body.append(",\"VersionId\":").append(quote(versionId));
    }
    if (versionStage != null) {
      body.append(",\"VersionStage\":").append(quote(versionStage));
    }
    JsonValue answer = call("GetSecretValue", body.append('}').toString(), AwsAnswers.SINGLE_CAP);
    return value(answer);
  }

  @Override
  public Description describeSecret(String secretId) {
    JsonValue answer =
        call("DescribeSecret", "{\"SecretId\":" + quote(secretId) + "}", AwsAnswers.SINGLE_CAP);
    Map<String, List<String>> stages = null;
    JsonValue versions = answer.optionalObject("VersionIdsToStages").orElse(null);
    if (versions != null) {
      stages = new LinkedHashMap<>();
      for (String id : versions.names()) {
        List<String> labels = new ArrayList<>();
        for (JsonValue label : versions.member(id).orElseThrow().elements()) {
          labels.add(label.asString());
        }
        stages.put(id, labels);
      }
    }
    // A null member is absent, as everywhere else: moto sends "DeletedDate": null for a live
    // secret.
    return new Description(answer.optionalDecimal("DeletedDate").isPresent(), stages);
  }

  @Override
  public Batch batchGetSecretValue(List<String> ids) {
    StringBuilder body = new StringBuilder("{\"SecretIdList\":[");
    for (int i = 0; i < ids.size(); i++) {
      body.append(i == 0 ? "" : ",").append(quote(ids.get(i)));
    }
    JsonValue answer =
        call("BatchGetSecretValue", body.append("]}").toString(), AwsAnswers.BATCH_CAP);
    List<Value> values = null;
    List<JsonValue> entries = answer.optionalArray("SecretValues").orElse(null);
    if (entries != null) {
      values = new ArrayList<>(entries.size());
      for (JsonValue entry : entries) {
        values.add(value(entry));
      }
    }
    List<BatchError> errors = null;
    List<JsonValue> failed = answer.optionalArray("Errors").orElse(null);
    if (failed != null) {
      errors = new ArrayList<>(failed.size());
      for (JsonValue error : failed) {
        errors.add(
            new BatchError(
                error.optionalString("SecretId").orElse(null),
                error.optionalString("ErrorCode").orElse(null)));
      }
    }
    return new Batch(values, errors);
  }

  @Override
  public void close() {
    closed = true;
    for (Http1Client.Call call : inFlight) {
      call.abort();
    }
    http.close();
    keys.close();
  }

  @Override
  public void join(Duration bound) {
    // No threads of its own: every exchange runs on its caller's.
  }

  /** Calls for tests: how many calls are in flight now. */
  int inFlight() {
    return inFlight.size();
  }

  private static Value value(JsonValue entry) {
    byte[] binary =
        entry.optionalString("SecretBinary").map(b -> Base64.getDecoder().decode(b)).orElse(null);
    return new Value(
        entry.optionalString("ARN").orElse(null),
        entry.optionalString("Name").orElse(null),
        entry.optionalString("VersionId").orElse(null),
        entry.optionalStrings("VersionStages").orElse(List.of()),
        entry.optionalString("SecretString").orElse(null),
        binary);
  }

  /** Sends one call and returns its checked answer, or throws its failure. */
  private JsonValue call(String operation, String json, int cap) {
    if (closed) {
      throw new Failed(0, null, new IOException("the provider is closed"), null, null);
    }
    Duration perCall = timeout.get();
    long deadline = System.nanoTime() + perCall.toNanos();
    AwsKeys credentials;
    try {
      credentials = keys.keys(deadline);
    } catch (KeySource.KeysUnavailable e) {
      throw new Failed(0, null, null, e.getMessage(), null);
    } catch (IOException e) {
      throw new Failed(
          0, null, e, "the credentials' endpoint (" + keys.description() + ") failed", null);
    } catch (IllegalStateException e) {
      // The source was closed with the provider while this call waited for it.
      throw new Failed(0, null, new IOException("the provider is closed"), null, null);
    }
    byte[] body = json.getBytes(UTF_8);
    List<String[]> headers;
    Http1Client.Request request;
    try {
      headers =
          RequestSigner.sign(
              "POST",
              host,
              path,
              "",
              List.of(
                  new String[] {"Content-Type", "application/x-amz-json-1.1"},
                  new String[] {"X-Amz-Target", "secretsmanager." + operation}),
              body,
              credentials,
              region,
              SERVICE,
              clock.instant());
      request = http.request("POST", "/", headers, body, true);
    } catch (IllegalArgumentException e) {
      // A key, token or secret id with a character a header or a request line cannot carry: the
      // messages name the header or the part, never the value.
      throw new Failed(0, null, null, null, "the request cannot be built: " + e.getMessage());
    }
    Http1Client.Call call = new Http1Client.Call();
    inFlight.add(call);
    Http1Client.Response response;
    try {
      if (closed) {
        call.abort();
      }
      response = http.exchange(call, request, deadline, cap);
    } catch (Http1Client.TooLarge e) {
      throw rejected(
          "the answer to "
              + operation
              + " is larger than "
              + (cap >> 20)
              + " MiB, more than"
              + " the service sends");
    } catch (IOException e) {
      throw new Failed(0, null, e, null, null);
    } finally {
      inFlight.remove(call);
      request.wipe();
    }
    if (response.status() / 100 != 2) {
      throw new Failed(response.status(), errorCode(response), null, null, null);
    }
    try {
      AwsAnswers.check(operation, response.body());
      return response.json();
    } catch (AwsAnswers.AnswerRejected e) {
      throw new Failed(0, null, e, null, null);
    } catch (IllegalArgumentException e) {
      throw rejected("the answer to " + operation + " is not the JSON the service sends");
    }
  }

  /**
   * The error code of an error answer: {@code __type} (or {@code code}) of its JSON body, reduced
   * to the code and checked to look like one; null when the body says none.
   */
  private static String errorCode(Http1Client.Response response) {
    try {
      JsonValue error = response.json();
      String type = error.optionalString("__type").orElse(null);
      if (type == null) {
        type = error.optionalString("code").orElse(null);
      }
      return AwsErrors.sanitize(type);
    } catch (IllegalArgumentException e) {
      return null; // not JSON: a proxy's page, say; the status speaks alone
    }
  }

  private static Failed rejected(String message) {
    return new Failed(0, null, new AwsAnswers.AnswerRejected(message), null, null);
  }

  /** Writes a JSON string. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** A failed call: the service's error, a client-side one, or no credentials. */
  private static final class Failed extends CallFailed {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Throwable cause;
    private final String noCredentials;
    private final String refused;

    Failed(int status, String code, Throwable cause, String noCredentials, String refused) {
      this.status = status;
      this.code = code;
      this.cause = cause;
      this.noCredentials = noCredentials;
      this.refused = refused;
    }

    @Override
    String code() {
      return code;
    }

    @Override
    LatchkeyException map(SecretRef ref, String operation, Duration timeout) {
      if (refused != null) {
        return new ProviderException(ref, Kind.OTHER, refused);
      }
      if (noCredentials != null && cause != null) {
        // The credentials could not be fetched: the service was not called.
        LatchkeyException io = AwsErrors.client(ref, operation, cause, timeout);
        Kind kind =
            io instanceof ProviderException ? ((ProviderException) io).kind() : Kind.UNAVAILABLE;
        return new ProviderException(
            ref, kind, noCredentials + " (" + cause.getClass().getSimpleName() + ")");
      }
      if (noCredentials != null) {
        return noCredentials.startsWith("no AWS credentials")
            ? new ProviderException(ref, Kind.ACCESS_DENIED, noCredentials)
            : new ProviderException(
                ref, Kind.ACCESS_DENIED, "cannot get AWS credentials: " + noCredentials);
      }
      if (cause != null) {
        return AwsErrors.client(ref, operation, cause, timeout);
      }
      return AwsErrors.service(ref, operation, status, code);
    }
  }
}
