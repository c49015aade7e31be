package io.latchkey.provider.gcp;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnaryCallable;
import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretPayload;
import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.Setting;
import io.latchkey.spi.DenialBackoff;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two calls the provider makes, {@code AccessSecretVersion} and {@code GetSecretVersion}: one
 * attempt each, with the current deadline, and what their answers mean.
 */
final class GcpCalls {
  private static final Logger LOG = LoggerFactory.getLogger(GcpSecretProvider.class);
  private static final String ACCESS_PERMISSION = "secretmanager.versions.access";
  private static final String GET_PERMISSION = "secretmanager.versions.get";

  /** The pause of a secret's metadata checks after a first denial. */
  static final Duration FIRST_METADATA_PAUSE = Duration.ofMinutes(1);

  /** The longest pause of a secret's metadata checks, however many denials in a row. */
  static final Duration LONGEST_METADATA_PAUSE = Duration.ofMinutes(30);

  private final SecretManagerServiceClient client;
  private final String project;
  private final CallDeadline deadline;
  private final Clock clock;
  // Secrets whose metadata the caller may not read (secretAccessor alone does not grant
  // secretmanager.versions.get): currentVersionId answers "unknown" for them while paused.
  private final DenialBackoff metadataBackoff;

  GcpCalls(SecretManagerServiceClient client, String project, Duration timeout, Clock clock) {
    this.client = client;
    this.project = project;
    this.deadline = new CallDeadline(timeout);
    this.clock = clock;
    this.metadataBackoff = new DenialBackoff(clock, FIRST_METADATA_PAUSE, LONGEST_METADATA_PAUSE);
  }

  CallDeadline deadline() {
    return deadline;
  }

  /** Fetches a version's value (or its field) with {@code AccessSecretVersion}. */
  SecretVersion fetch(SecretRef ref) {
    SecretName name = SecretName.of(ref, project);
    CallTrace trace = new CallTrace();
    AccessSecretVersionResponse response;
    try {
      response = invoke(ref, client.accessSecretVersionCallable(), access(name), trace);
    } catch (CallFailure e) {
      throw translate(ref, e.getCause(), ACCESS_PERMISSION, trace);
    }
    return version(ref, name, response);
  }

  /**
   * An {@code AccessSecretVersion} call on its way.
   *
   * @param ref the reference it serves
   * @param name the version it asks for
   * @param call the call
   */
  private record Started(SecretRef ref, SecretName name, Call<AccessSecretVersionResponse> call) {}

  /**
   * Fetches many references with every {@code AccessSecretVersion} call in flight at once over the
   * one channel, from the calling thread. Returns the versions fetched; a reference that failed (an
   * invalid name, not found, denied, a checksum mismatch, a missing field) is left out, for {@link
   * #fetch} to report on its own.
   */
  Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    List<Started> started = new ArrayList<>();
    Map<SecretRef, SecretVersion> fetched = new LinkedHashMap<>();
    try {
      for (SecretRef ref : refs) {
        SecretName name;
        try {
          name = SecretName.of(ref, project);
        } catch (LatchkeyException e) {
          continue;
        }
        Call<AccessSecretVersionResponse> call;
        try {
          call = start(client.accessSecretVersionCallable(), access(name), new CallTrace());
        } catch (CallFailure e) {
          continue;
        }
        started.add(new Started(ref, name, call));
      }
      for (Started s : started) {
        try {
          fetched.put(s.ref(), version(s.ref(), s.name(), await(s.ref(), s.call())));
        } catch (LatchkeyException | CallFailure e) {
          // Fetched alone, which says why.
        }
      }
      return fetched;
    } finally {
      // Whatever ended the batch early (an interrupt, a closed client), no call stays in flight.
      started.forEach(s -> s.call().future().cancel(true));
    }
  }

  private static AccessSecretVersionRequest access(SecretName name) {
    return AccessSecretVersionRequest.newBuilder().setName(name.versionName()).build();
  }

  /** Reads an {@code AccessSecretVersion} answer: checks its checksum, takes its field if asked. */
  private SecretVersion version(
      SecretRef ref, SecretName name, AccessSecretVersionResponse response) {
    String number = versionNumber(ref, name, response.getName());
    SecretPayload payload = response.getPayload();
    byte[] data = payload.getData().toByteArray();
    try {
      if (payload.hasDataCrc32C()) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        if (crc.getValue() != payload.getDataCrc32C()) {
          throw new ProviderException(
              ref,
              ProviderException.Kind.MALFORMED_RESPONSE,
              "checksum mismatch: the payload of version "
                  + number
                  + " does not match its CRC32C (data_crc32c)");
        }
      }
      Secret value =
          ref.field().isPresent() ? PayloadFields.field(ref, data) : Secret.ofBytes(data);
      Set<String> stages =
          name.kind() == SecretName.Kind.NUMBER ? Set.of() : Set.of(name.version());
      LOG.debug("secret {}: fetched version {}", ref, number);
      return new SecretVersion(value, Optional.of(number), stages, clock.instant());
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /**
   * Returns the number of the version a reference points at, from {@code GetSecretVersion}; empty
   * while the caller may not read the secret's metadata.
   */
  Optional<String> currentVersionId(SecretRef ref) {
    SecretName name = SecretName.of(ref, project);
    if (!metadataBackoff.mayCall(name.secretName())) {
      return Optional.empty();
    }
    GetSecretVersionRequest request =
        GetSecretVersionRequest.newBuilder().setName(name.versionName()).build();
    CallTrace trace = new CallTrace();
    com.google.cloud.secretmanager.v1.SecretVersion version;
    try {
      version = invoke(ref, client.getSecretVersionCallable(), request, trace);
    } catch (CallFailure e) {
      if (e.getCause() instanceof ApiException api
          && api.getStatusCode().getCode() == StatusCode.Code.PERMISSION_DENIED) {
        if (metadataBackoff.denied(name.secretName())) {
          LOG.info(
              "secret {}: may not read version metadata ({}); its value is fetched on each"
                  + " refresh until a later check is allowed",
              ref,
              GET_PERMISSION);
        }
        return Optional.empty();
      }
      throw translate(ref, e.getCause(), GET_PERMISSION, trace);
    }
    if (metadataBackoff.allowed(name.secretName())) {
      LOG.info("secret {}: version metadata may be read again; checks resume", ref);
    }
    String number = versionNumber(ref, name, version.getName());
    if (version.getState() != com.google.cloud.secretmanager.v1.SecretVersion.State.ENABLED) {
      throw new SecretNotFoundException(
          ref, "version " + number + " is " + stateName(version) + ", not ENABLED");
    }
    return Optional.of(number);
  }

  private static String stateName(com.google.cloud.secretmanager.v1.SecretVersion version) {
    switch (version.getState()) {
      case DISABLED:
        return "DISABLED";
      case DESTROYED:
        return "DESTROYED";
      default:
        return "in state " + version.getStateValue();
    }
  }

  private static String versionNumber(SecretRef ref, SecretName name, String resolved) {
    return name.versionNumberIn(resolved)
        .orElseThrow(
            () ->
                new ProviderException(
                    ref,
                    ProviderException.Kind.MALFORMED_RESPONSE,
                    "the response does not name a numbered version of "
                        + name.secretName()
                        + " (asked for version "
                        + name.version()
                        + ")"));
  }

  /**
   * A call started with the deadline then current.
   *
   * @param future its answer
   * @param timeout its deadline
   */
  private record Call<R>(ApiFuture<R> future, Duration timeout) {
    /** Names the deadline only: a done future prints its answer, which may hold a payload. */
    @Override
    public String toString() {
      return "Call[timeout=" + timeout + "]";
    }
  }

  /**
   * Makes one call, with the current deadline and a single attempt; a failure of the client comes
   * back untranslated, wrapped in a {@link CallFailure} that never leaves this class.
   */
  private <Q, R> R invoke(SecretRef ref, UnaryCallable<Q, R> callable, Q request, CallTrace trace) {
    return await(ref, start(callable, request, trace));
  }

  /** Starts one call with the current deadline, without waiting for it. */
  private <Q, R> Call<R> start(UnaryCallable<Q, R> callable, Q request, CallTrace trace) {
    CallDeadline.Bound bound = deadline.current();
    try {
      return new Call<>(callable.futureCall(request, bound.traced(trace)), bound.timeout());
    } catch (RuntimeException e) {
      throw new CallFailure(e);
    }
  }

  private <R> R await(SecretRef ref, Call<R> call) {
    ApiFuture<R> future = call.future();
    Duration timeout = call.timeout();
    try {
      // The gRPC deadline ends the call; the extra second only guards against a client that
      // would not honour it.
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ref, ProviderException.Kind.TIMEOUT, "interrupted while waiting for Secret Manager");
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ProviderException(
          ref,
          ProviderException.Kind.TIMEOUT,
          "no answer within "
              + Setting.formatDuration(timeout)
              + " (the client's deadline did not end the call)");
    } catch (CancellationException e) {
      throw new ProviderException(
          ref, ProviderException.Kind.TIMEOUT, "the call was cancelled before it completed");
    } catch (ExecutionException e) {
      throw new CallFailure(e.getCause());
    }
  }

  /** Carries a client failure from {@link #invoke} to its caller; never thrown further. */
  private static final class CallFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallFailure(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  private RuntimeException translate(
      SecretRef ref, Throwable failure, String permission, CallTrace trace) {
    RuntimeException translated =
        GcpErrors.translate(ref, failure, permission, deadline.current().timeout(), trace);
    if (failure instanceof ApiException api && LOG.isDebugEnabled()) {
      LOG.debug(
          "secret {}: call failed with {}",
          ref,
          GcpErrors.status(api.getStatusCode().getCode(), api.getReason()));
    }
    return translated;
  }
}
