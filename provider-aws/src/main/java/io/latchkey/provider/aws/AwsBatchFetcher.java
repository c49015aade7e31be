package io.latchkey.provider.aws;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.ProviderThreads;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Fetches the current versions of many references with {@code BatchGetSecretValue}: one id per
 * secret however many of its fields are asked for, {@value #BATCH_SIZE} ids per call, the calls in
 * parallel on a small pool of the fetcher's own. What a batch cannot answer precisely is left out,
 * for the resolver to fetch singly and report with its exact error.
 */
final class AwsBatchFetcher {
  /** The most secret ids {@code BatchGetSecretValue} takes in one call. */
  static final int BATCH_SIZE = 20;

  /** The most batch calls in flight at once, besides the one on the caller's thread. */
  static final int BATCH_THREADS = 4;

  private final AwsClient client;
  private final AwsValues values;
  private final ProviderThreads threads = new ProviderThreads("latchkey-aws-batch-");
  private final ThreadPoolExecutor pool;

  AwsBatchFetcher(AwsClient client, AwsValues values) {
    this.client = client;
    this.values = values;
    // Without threads while idle: a batch is a start-up event, not a steady load.
    this.pool =
        new ThreadPoolExecutor(
            BATCH_THREADS,
            BATCH_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads);
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Fetches what it can of the references: those without a version or with {@code AWSCURRENT}.
   *
   * @throws ProviderException if every call failed as a whole
   * @throws IllegalStateException if the fetcher is closed
   */
  Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    Map<String, List<SecretRef>> byId = new LinkedHashMap<>();
    for (SecretRef ref : refs) {
      if (ref.version().map(AwsCalls.CURRENT::equals).orElse(true)) {
        byId.computeIfAbsent(ref.path(), id -> new ArrayList<>()).add(ref);
      }
    }
    if (byId.isEmpty()) {
      return Map.of();
    }
    List<String> ids = new ArrayList<>(byId.keySet());
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += BATCH_SIZE) {
      chunks.add(ids.subList(i, Math.min(ids.size(), i + BATCH_SIZE)));
    }
    SecretRef first = byId.get(ids.get(0)).get(0);
    // The caller's thread sends the first chunk; the pool sends the others at the same time.
    List<Future<Map<SecretRef, SecretVersion>>> others = new ArrayList<>();
    try {
      for (List<String> chunk : chunks.subList(1, chunks.size())) {
        others.add(pool.submit(() -> call(chunk, byId)));
      }
    } catch (RejectedExecutionException e) {
      others.forEach(f -> f.cancel(true));
      throw closed();
    }
    Map<SecretRef, SecretVersion> result = new HashMap<>();
    List<LatchkeyException> failures = new ArrayList<>();
    try {
      result.putAll(call(chunks.get(0), byId));
    } catch (LatchkeyException e) {
      failures.add(e);
    }
    for (Future<Map<SecretRef, SecretVersion>> f : others) {
      try {
        result.putAll(f.get());
      } catch (InterruptedException e) {
        others.forEach(o -> o.cancel(true));
        Thread.currentThread().interrupt();
        throw new ProviderException(
            first, ProviderException.Kind.TIMEOUT, "the batch fetch was interrupted");
      } catch (ExecutionException e) {
        failures.add(
            e.getCause() instanceof LatchkeyException
                ? (LatchkeyException) e.getCause()
                : new ProviderException(
                    first,
                    ProviderException.Kind.OTHER,
                    "a batch call failed with " + e.getCause().getClass().getName()));
      } catch (CancellationException e) {
        throw closed();
      }
    }
    if (failures.size() == chunks.size()) {
      throw asProviderException(failures.get(0));
    }
    if (!failures.isEmpty()) {
      AwsLog.LOG.debug(
          "{} of {} batch calls failed; their secrets are left to single fetches",
          failures.size(),
          chunks.size());
    }
    return result;
  }

  /** Stops the pool's threads; calls in flight end when the client aborts them. */
  void close() {
    pool.shutdownNow();
  }

  /** Waits a bounded time for the pool's threads to end, after {@link #close()}. */
  void join(Duration bound) {
    threads.join(bound);
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("the aws provider is closed");
  }

  /** A batch that failed as a whole fails with a provider's kind, never as "not found". */
  private static ProviderException asProviderException(LatchkeyException failure) {
    if (failure instanceof ProviderException) {
      return (ProviderException) failure;
    }
    SecretNotFoundException notFound = (SecretNotFoundException) failure;
    return new ProviderException(
        notFound.ref(),
        ProviderException.Kind.OTHER,
        "the batch call failed: " + notFound.reason());
  }

  /** Sends one {@code BatchGetSecretValue} and maps its answer to the references it covers. */
  private Map<SecretRef, SecretVersion> call(List<String> ids, Map<String, List<SecretRef>> byId) {
    SecretRef first = byId.get(ids.get(0)).get(0);
    SecretsApi.Batch response;
    try {
      response = client.api().batchGetSecretValue(ids);
    } catch (SecretsApi.CallFailed e) {
      throw e.map(first, "BatchGetSecretValue", client.timeout());
    }
    if (response.values() == null && response.errors() == null) {
      // Every id asked for is either among the values or among the errors.
      throw new ProviderException(
          first,
          ProviderException.Kind.MALFORMED_RESPONSE,
          "the answer to BatchGetSecretValue has neither SecretValues nor Errors");
    }
    if (response.errors() != null) {
      for (SecretsApi.BatchError error : response.errors()) {
        AwsLog.LOG.debug(
            "secret {} is left out of the batch ({})",
            byId.containsKey(error.secretId()) ? error.secretId() : "(an unknown id)",
            Optional.ofNullable(AwsErrors.sanitize(error.errorCode())).orElse("no error code"));
      }
    }
    Map<SecretRef, SecretVersion> result = new HashMap<>();
    if (response.values() == null) {
      return result;
    }
    Map<String, SecretsApi.Value> matched = matchAll(ids, response.values());
    for (String id : ids) {
      SecretsApi.Value entry = matched.get(id);
      if (entry == null) {
        continue;
      }
      for (SecretRef ref : byId.get(id)) {
        try {
          result.put(
              ref,
              values.version(
                  ref, entry.versionId(), entry.stages(), entry.string(), entry.binary()));
        } catch (LatchkeyException e) {
          // A missing field or an odd entry: the single fetch reports it precisely.
        }
      }
    }
    return result;
  }

  /**
   * Finds the entry of each id of one call: a full ARN, a partial ARN (without the suffix), or a
   * name. ARNs are matched first and claim their entries, because one call may hold a name and
   * another account's ARN of a secret with that name: both entries then carry the name. A name is
   * matched only to the one entry left with that name; with none or several, the id is left out,
   * for the single fetch to answer without doubt.
   */
  static Map<String, SecretsApi.Value> matchAll(List<String> ids, List<SecretsApi.Value> entries) {
    Map<String, SecretsApi.Value> matched = new HashMap<>();
    Set<SecretsApi.Value> claimed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (String id : ids) {
      if (id.startsWith("arn:")) {
        SecretsApi.Value entry = byArn(id, entries);
        if (entry != null) {
          matched.put(id, entry);
          claimed.add(entry);
        }
      }
    }
    for (String id : ids) {
      if (id.startsWith("arn:")) {
        continue;
      }
      SecretsApi.Value only = null;
      int candidates = 0;
      for (SecretsApi.Value e : entries) {
        if (id.equals(e.name()) && !claimed.contains(e)) {
          only = e;
          candidates++;
        }
      }
      if (candidates == 1) {
        matched.put(id, only);
      }
    }
    return matched;
  }

  /** The entry whose ARN is the id, or extends it by Secrets Manager's six-character suffix. */
  private static SecretsApi.Value byArn(String id, List<SecretsApi.Value> entries) {
    for (SecretsApi.Value e : entries) {
      if (id.equals(e.arn())) {
        return e;
      }
    }
    // Secrets Manager appends a dash and six random characters to the name in an ARN.
    for (SecretsApi.Value e : entries) {
      String arn = e.arn();
      if (arn != null && arn.length() == id.length() + 7 && arn.startsWith(id + "-")) {
        return e;
      }
    }
    return null;
  }
}
