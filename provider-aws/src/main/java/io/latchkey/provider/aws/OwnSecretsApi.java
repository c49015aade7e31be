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
  /** The service name requests are signed for. */
  static final String SERVICE = "secretsmanager";

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
    StringBuilder body = new StringBuilder("{\"SecretId\":").append(JsonValue.quote(secretId));
    if (versionId != null) {
      body.append(",\"VersionId\":").append(JsonValue.quote(versionId));
    }
    if (versionStage != null) {
      body.append(",\"VersionStage\":").append(JsonValue.quote(versionStage));
    }
    JsonValue answer = call("GetSecretValue", body.append('}').toString(), AwsAnswers.SINGLE_CAP);
    return value(answer);
  }

  @Override
  public Description describeSecret(String secretId) {
    JsonValue answer =
        call(
            "DescribeSecret",
            "{\"SecretId\":" + JsonValue.quote(secretId) + "}",
            AwsAnswers.SINGLE_CAP);
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

  /** The body of a {@code BatchGetSecretValue} call for the ids. */
  static String batchBody(List<String> ids) {
    StringBuilder body = new StringBuilder("{\"SecretIdList\":[");
    for (int i = 0; i < ids.size(); i++) {
      body.append(i == 0 ? "" : ",").append(JsonValue.quote(ids.get(i)));
    }
    return body.append("]}").toString();
  }

  /** The headers of a call of the operation, before signing. */
  static List<String[]> headers(String operation) {
    return List.of(
        new String[] {"Content-Type", "application/x-amz-json-1.1"},
        new String[] {"X-Amz-Target", "secretsmanager." + operation});
  }

  @Override
  public Batch batchGetSecretValue(List<String> ids) {
    JsonValue answer = call("BatchGetSecretValue", batchBody(ids), AwsAnswers.BATCH_CAP);
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
      throw Failed.client(new IOException("the provider is closed"));
    }
    Duration perCall = timeout.get();
    long deadline = System.nanoTime() + perCall.toNanos();
    AwsKeys credentials;
    try {
      credentials = keys.keys(deadline);
    } catch (KeySource.KeysUnavailable e) {
      throw Failed.noCredentials(e.getMessage());
    } catch (IOException e) {
      throw Failed.credentialsEndpoint(
          e, "the credentials' endpoint (" + keys.description() + ") failed");
    } catch (IllegalStateException e) {
      // The source was closed with the provider while this call waited for it.
      throw Failed.client(new IOException("the provider is closed"));
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
              headers(operation),
              body,
              credentials,
              region,
              SERVICE,
              clock.instant());
      request = http.request("POST", "/", headers, body, true);
    } catch (IllegalArgumentException e) {
      // A key, token or secret id with a character a header or a request line cannot carry: the
      // messages name the header or the part, never the value.
      throw Failed.refused("the request cannot be built: " + e.getMessage());
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
      throw Failed.rejected(
          "the answer to "
              + operation
              + " is larger than "
              + (cap >> 20)
              + " MiB, more than"
              + " the service sends");
    } catch (IOException e) {
      throw Failed.client(e);
    } finally {
      inFlight.remove(call);
      request.wipe();
    }
    if (response.status() / 100 != 2) {
      throw Failed.service(response.status(), errorCode(response));
    }
    try {
      // Read once: the check's reading is the answer's.
      return AwsAnswers.checked(operation, response.body());
    } catch (AwsAnswers.AnswerRejected e) {
      throw Failed.client(e);
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

  /** A failed call: the service's error, a client-side one, or no credentials. */
  private static final class Failed extends CallFailed {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Throwable cause;
    private final String noCredentials;
    private final String refused;

    private Failed(int status, String code, Throwable cause, String noCredentials, String refused) {
      this.status = status;
      this.code = code;
      this.cause = cause;
      this.noCredentials = noCredentials;
      this.refused = refused;
    }

    /** The service's error answer: its status and its code, sanitized, or null. */
    static Failed service(int status, String code) {
      return new Failed(status, code, null, null, null);
    }

    /** A failure on the client's side: an I/O error, or an answer refused. */
    static Failed client(Throwable cause) {
      return new Failed(0, null, cause, null, null);
    }

    /** An answer refused for the reason given, worded without its content. */
    static Failed rejected(String message) {
      return client(new AwsAnswers.AnswerRejected(message));
    }

    /** No credentials: why, naming the source and never a value. */
    static Failed noCredentials(String reason) {
      return new Failed(0, null, null, reason, null);
    }

    /** The credentials' endpoint could not be reached or answered in time. */
    static Failed credentialsEndpoint(IOException cause, String what) {
      return new Failed(0, null, cause, what, null);
    }

    /** A request that cannot be sent as it is, for the reason given. */
    static Failed refused(String reason) {
      return new Failed(0, null, null, null, reason);
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
        return noCredentials.equals(KeyChain.NO_CREDENTIALS)
            ? AwsErrors.noCredentials(ref)
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
