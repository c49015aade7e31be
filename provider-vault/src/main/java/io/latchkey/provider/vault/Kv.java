package io.latchkey.provider.vault;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.DenialBackoff;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads KV secrets: finds the mount a reference's path lies in (asking Vault once per mount, as the
 * Vault CLI does), builds the KV v1 or v2 API path, and reads the data, the version and the
 * metadata. Every request carries the current token; a read of a secret denied with "permission
 * denied" is retried once with a new token when {@link VaultAuth#reauthenticate} gives one. A
 * denied metadata read or mount look-up is never retried: both have an answer for a denial of their
 * own, and a login per refresh would use up an AppRole secret ID.
 */
final class Kv {
  private static final Logger LOG = LoggerFactory.getLogger(VaultSecretProvider.class);

  /**
   * A secrets engine mount.
   *
   * @param path its path with a trailing slash, such as {@code secret/}
   * @param type the engine type, such as {@code kv}
   * @param version the KV version, 1 or 2; 0 for an engine this provider does not read
   */
  record Mount(String path, String type, int version) {}

  /**
   * Where a reference points.
   *
   * @param mount the mount
   * @param path the secret's path inside the mount, without the KV v2 {@code data/} part
   */
  record Location(Mount mount, String path) {
    boolean isV2() {
      return mount.version() == 2;
    }
  }

  /**
   * A secret as read: its data object and, on KV v2, its version and creation time.
   *
   * @param data the secret's key/value object
   * @param version the KV v2 version
   * @param createdTime the KV v2 version's {@code created_time}, as Vault wrote it
   */
  record Read(JsonValue data, OptionalInt version, Optional<String> createdTime) {
    @Override
    public String toString() {
      return "Read[keys=" + data.names().size() + ", version=" + version + "]";
    }
  }

  private final VaultHttp http;
  private final VaultAuth auth;
  private final Clock clock;
  private final ConcurrentHashMap<String, Mount> mounts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Mount>> lookups =
      new ConcurrentHashMap<>();

  /**
   * The pause after a first denial of a secret's metadata, doubling with each denial in a row up to
   * {@link #LONGEST_DENIAL_PAUSE}.
   */
  static final Duration FIRST_DENIAL_PAUSE = Duration.ofSeconds(10);

  /** The longest pause, for a policy that never grants the metadata. */
  static final Duration LONGEST_DENIAL_PAUSE = Duration.ofMinutes(10);

  private final DenialBackoff denials;

  Kv(VaultHttp http, VaultAuth auth, Clock clock) {
    this.http = http;
    this.auth = auth;
    this.clock = clock;
    this.denials = new DenialBackoff(clock, FIRST_DENIAL_PAUSE, LONGEST_DENIAL_PAUSE);
  }

  /**
   * A read sent before its mount was known, and the token it carried.
   *
   * @param exchange the request on its way
   * @param token the token, for a retry if Vault denies it
   */
  private record Early(VaultHttp.Exchange exchange, VaultAuth.Token token) {}

  /** Sends an authenticated GET, retrying once with a new token if Vault denied the token. */
  Http1Client.Response get(SecretRef subject, String path, String query) {
    VaultAuth.Token token = auth.current(subject);
    Http1Client.Response response = http.send(subject, "GET", path, query, null, token.value());
    return retriedIfDenied(subject, path, query, token, response);
  }

  /** Sends an authenticated GET once: a denial is the caller's to read. */
  private Http1Client.Response getOnce(SecretRef subject, String path, String query) {
    return http.send(subject, "GET", path, query, null, auth.current(subject).value());
  }

  /**
   * The answer of the GET of {@code path}: the early read's if it asked exactly that, else a new
   * request's (the early one, which asked for something else, is dropped).
   */
  private Http1Client.Response get(SecretRef subject, String path, String query, Early early) {
    if (early == null) {
      return get(subject, path, query);
    }
    if (!early.exchange().asks(path, query)) {
      early.exchange().cancel();
      return get(subject, path, query);
    }
    Http1Client.Response response = http.await(early.exchange());
    return retriedIfDenied(subject, path, query, early.token(), response);
  }

  private Http1Client.Response retriedIfDenied(
      SecretRef subject,
      String path,
      String query,
      VaultAuth.Token token,
      Http1Client.Response response) {
    if (response.status() == 403 && VaultErrors.deniesPermission(response)) {
      Optional<VaultAuth.Token> again = auth.reauthenticate(subject, token);
      if (again.isPresent()) {
        return http.send(subject, "GET", path, query, null, again.get().value());
      }
    }
    return response;
  }

  /**
   * Reads a secret's data (and version, on KV v2).
   *
   * <p>The first read of a reference in the API form ({@code secret/data/app}) is sent at once,
   * beside the look-up of its mount, not after it: that form's request is the same whether the
   * mount is KV v2 at {@code secret/} or KV v1, so a cold read takes one round trip, not two. Only
   * a mount nested deeper than the guess ({@code secret/data/} itself a mount) makes the early
   * answer the wrong one; it is then dropped unread and the right request sent.
   */
  Read read(SecretRef ref) {
    Early early = early(ref, null);
    Location location;
    Request request;
    try {
      location = locate(ref);
      request = request(ref, location);
    } catch (RuntimeException e) {
      cancel(early);
      throw e;
    }
    return answer(ref, location, get(ref, request.path(), request.query(), early));
  }

  /**
   * Reads many secrets with every request in flight at once, on the calling thread: one token, the
   * API-form reads sent beside the mount look-ups, the others as soon as their mount is known.
   * Returns the reads that succeeded; a reference missing from the result (not found, denied, a
   * path or version the provider refuses, a malformed answer) is for {@link #read} to read alone,
   * which reports its failure precisely and retries a denial with a new token.
   *
   * @throws ProviderException if no token can be had, or a mount look-up fails: the batch as a
   *     whole, which each reference then repeats alone
   */
  Map<SecretRef, Read> readAll(Collection<SecretRef> refs) {
    Map<SecretRef, Read> reads = new LinkedHashMap<>();
    if (refs.isEmpty()) {
      return reads;
    }
    VaultAuth.Token token = auth.current(refs.iterator().next());
    Map<SecretRef, Early> early = new LinkedHashMap<>();
    Map<SecretRef, Sent> sent = new LinkedHashMap<>();
    try {
      for (SecretRef ref : refs) {
        Early e = early(ref, token);
        if (e != null) {
          early.put(ref, e);
        }
      }
      for (SecretRef ref : refs) {
        Early e = early.remove(ref);
        Location location;
        Request request;
        try {
          location = locate(ref);
          request = request(ref, location);
        } catch (ProviderException x) {
          cancel(e);
          if (x.kind() != Kind.UNSUPPORTED) {
            throw x;
          }
          continue;
        }
        VaultHttp.Exchange exchange;
        if (e != null && e.exchange().asks(request.path(), request.query())) {
          exchange = e.exchange();
        } else {
          cancel(e);
          exchange = http.start(ref, "GET", request.path(), request.query(), null, token.value());
        }
        sent.put(ref, new Sent(location, exchange));
      }
      for (Map.Entry<SecretRef, Sent> s : sent.entrySet()) {
        SecretRef ref = s.getKey();
        try {
          reads.put(ref, answer(ref, s.getValue().location(), http.await(s.getValue().exchange())));
        } catch (LatchkeyException x) {
          // Read alone, which says why.
        }
      }
      return reads;
    } finally {
      // Whatever ended the batch early (a failed look-up, an interrupt, a closed provider), no
      // request it started stays in flight.
      early.values().forEach(Kv::cancel);
      sent.values().forEach(s -> s.exchange().cancel());
    }
  }

  /**
   * A read of the batch on its way.
   *
   * @param location where the reference points, which says how to read the answer
   * @param exchange the request
   */
  private record Sent(Location location, VaultHttp.Exchange exchange) {}

  /**
   * The GET a read sends for a reference at a location.
   *
   * @param path the API path, percent-encoded
   * @param query {@code version=N}, or null
   */
  private record Request(String path, String query) {}

  private static Request request(SecretRef ref, Location location) {
    if (location.isV2()) {
      return new Request(
          VaultPaths.encode(location.mount().path() + "data/" + location.path()),
          ref.version().isPresent() ? "version=" + versionNumber(ref) : null);
    }
    if (ref.version().isPresent()) {
      throw VaultErrors.unsupported(
          ref,
          "versions exist on KV version 2 only, and mount '"
              + location.mount().path()
              + "' is KV version 1");
    }
    return new Request(VaultPaths.encode(location.mount().path() + location.path()), null);
  }

  /** Reads Vault's answer to a read of a reference at a location. */
  private static Read answer(SecretRef ref, Location location, Http1Client.Response response) {
    if (location.isV2()) {
      return answerV2(ref, response);
    }
    if (response.status() == 404) {
      throw new SecretNotFoundException(ref, "no such secret");
    }
    if (!response.ok()) {
      throw VaultErrors.status(ref, response.status(), "reading the secret");
    }
    JsonValue data =
        VaultErrors.reading(ref, "the KV v1 read", () -> response.json().object("data"));
    return new Read(data, OptionalInt.empty(), Optional.empty());
  }

  private static void cancel(Early early) {
    if (early != null) {
      early.exchange().cancel();
    }
  }

  /**
   * Starts the read of a reference in the API form whose mount is not known yet, with {@code token}
   * or the current one; null when the mount is known, or the reference is in another form (the
   * short form's request depends on the mount's version) or invalid (the ordinary path reports it).
   */
  private Early early(SecretRef ref, VaultAuth.Token token) {
    String path = ref.path();
    if (VaultPaths.problem(path) != null
        || cachedMount(path) != null
        || guess(path).version() != 2) {
      return null;
    }
    String query = null;
    if (ref.version().isPresent()) {
      int version = parseVersion(ref.version().get());
      if (version < 0) {
        return null;
      }
      query = "version=" + version;
    }
    VaultAuth.Token t = token != null ? token : auth.current(ref);
    return new Early(http.start(ref, "GET", VaultPaths.encode(path), query, null, t.value()), t);
  }

  private static Read answerV2(SecretRef ref, Http1Client.Response response) {
    if (response.status() == 404) {
      throw notFound(ref, response);
    }
    if (!response.ok()) {
      throw VaultErrors.status(ref, response.status(), "reading the secret");
    }
    JsonValue outer =
        VaultErrors.reading(ref, "the KV v2 read", () -> response.json().object("data"));
    return VaultErrors.reading(
        ref,
        "the KV v2 read",
        () -> {
          JsonValue metadata = outer.object("metadata");
          long version = metadata.integer("version");
          Optional<String> created = metadata.optionalString("created_time");
          metadata.optionalString("deletion_time");
          metadata.optionalBoolean("destroyed");
          Optional<JsonValue> data = outer.optionalObject("data");
          if (data.isEmpty()) {
            // Vault answers 404 for a deleted version; a 200 without data says the same.
            throw notFound(ref, metadata);
          }
          if (version < 1 || version > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("member 'version' is not a version number");
          }
          return new Read(
              data.get(), OptionalInt.of((int) version), created.filter(t -> !t.isEmpty()));
        });
  }

  /**
   * Returns the KV v2 version a reference points at: the one it names, or the secret's current
   * version from its metadata; empty on KV v1, or when the token may not read the metadata.
   */
  Optional<String> currentVersion(SecretRef ref) {
    Location location = locate(ref);
    if (!location.isV2()) {
      return Optional.empty();
    }
    if (ref.version().isPresent()) {
      return Optional.of(Integer.toString(versionNumber(ref)));
    }
    String key = location.mount().path() + location.path();
    if (!denials.mayCall(key)) {
      return Optional.empty();
    }
    Http1Client.Response response =
        getOnce(
            ref, VaultPaths.encode(location.mount().path() + "metadata/" + location.path()), null);
    if (response.status() == 404) {
      throw new SecretNotFoundException(ref, "no such secret");
    }
    if (response.status() == 403) {
      // Least-privilege policies often grant read on data/ only, but a token file rewritten late
      // or a token restored later is denied too, for a while. Fetching the value instead costs a
      // little more on each refresh, and is correct; asking again after a back-off ends it.
      if (denials.denied(key)) {
        LOG.info(
            "Vault: the token may not read the metadata of {}; its value is fetched on each"
                + " refresh, and the metadata asked for again in {} (grant read on {}metadata/{}"
                + " if this lasts)",
            ref,
            FIRST_DENIAL_PAUSE,
            location.mount().path(),
            location.path());
      }
      return Optional.empty();
    }
    if (!response.ok()) {
      throw VaultErrors.status(ref, response.status(), "reading the secret's metadata");
    }
    denials.allowed(key);
    long current =
        VaultErrors.reading(ref, "the metadata read", () -> currentVersion(ref, response));
    return Optional.of(Long.toString(current));
  }

  /** Reads the current version of a metadata answer, refusing one deleted or destroyed. */
  private long currentVersion(SecretRef ref, Http1Client.Response response) {
    JsonValue data = response.json().object("data");
    long current = data.integer("current_version");
    JsonValue versions = data.object("versions");
    if (current < 0 || current > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("member 'current_version' is not a version number");
    }
    Optional<JsonValue> version = versions.optionalObject(Long.toString(current));
    boolean destroyed = version.flatMap(v -> v.optionalBoolean("destroyed")).orElse(false);
    String deletionTime = version.flatMap(v -> v.optionalString("deletion_time")).orElse("");
    // Strict, as every member: a time that does not parse is a malformed answer, which keeps the
    // cached value, not a deletion, which would drop it.
    Optional<Instant> deleted =
        deletionTime.isEmpty() ? Optional.empty() : Optional.of(time(deletionTime));
    if (current == 0) {
      throw new SecretNotFoundException(ref, "the secret has no versions");
    }
    if (destroyed) {
      throw new SecretNotFoundException(
          ref, "version " + current + ", the current one, was destroyed");
    }
    // KV v2 may schedule a deletion (delete_version_after); until then the version lives.
    if (deleted.isPresent() && !deleted.get().isAfter(clock.instant())) {
      throw new SecretNotFoundException(
          ref, "version " + current + ", the current one, was deleted at " + deleted.get());
    }
    return current;
  }

  /**
   * Reads a {@code deletion_time}, which Vault writes in RFC 3339 ({@code
   * 2026-11-23T10:15:30.123456789Z}); messages print the parsed instant, never the server's text.
   *
   * @throws IllegalArgumentException if it is not such a time; the message does not quote it
   */
  private static Instant time(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("member 'deletion_time' is not an RFC 3339 time");
    }
  }

  /**
   * A not-found failure for a 404, saying why when its metadata tells. A 404 is not-found whatever
   * its body holds (a proxy's page, say): a body that is not Vault's JSON, or members of the wrong
   * type, are ignored here, not trusted.
   */
  private static SecretNotFoundException notFound(SecretRef ref, Http1Client.Response response) {
    try {
      Optional<JsonValue> metadata =
          response.json().optionalObject("data").flatMap(d -> d.optionalObject("metadata"));
      if (metadata.isPresent()) {
        return notFound(ref, metadata.get());
      }
    } catch (IllegalArgumentException e) {
      // Not Vault's answer: nothing more to say than not found.
    }
    return notFound(ref, (JsonValue) null);
  }

  /** A not-found failure naming a deleted or destroyed version, when {@code metadata} says so. */
  static SecretNotFoundException notFound(SecretRef ref, JsonValue metadata) {
    if (metadata != null) {
      long v = lenient(() -> metadata.optionalInteger("version").orElse(0L), 0L);
      String label = v > 0 && v <= Integer.MAX_VALUE ? "version " + v : "the version";
      if (lenient(() -> metadata.optionalBoolean("destroyed").orElse(false), false)) {
        return new SecretNotFoundException(ref, label + " was destroyed");
      }
      String deleted = lenient(() -> metadata.optionalString("deletion_time").orElse(""), "");
      if (!deleted.isEmpty()) {
        // The time as parsed, or none: the server's text is never copied into a message.
        Optional<Instant> at = Optional.ofNullable(lenient(() -> time(deleted), null));
        return new SecretNotFoundException(
            ref, label + " was deleted" + at.map(t -> " at " + t).orElse(""));
      }
    }
    return new SecretNotFoundException(
        ref, ref.version().isPresent() ? "no version " + ref.version().get() : "no such secret");
  }

  private static <T> T lenient(Supplier<T> read, T otherwise) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      return otherwise;
    }
  }

  private static int versionNumber(SecretRef ref) {
    String text = ref.version().orElseThrow();
    int version = parseVersion(text);
    if (version < 0) {
      throw VaultErrors.unsupported(
          ref, "the version '" + text + "' is not a KV version number (a positive integer)");
    }
    return version;
  }

  /** A KV version number (a positive integer of at most 9 digits), or -1. */
  private static int parseVersion(String text) {
    boolean digits = !text.isEmpty() && text.length() <= 9 && text.charAt(0) != '0';
    for (int i = 0; digits && i < text.length(); i++) {
      digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
    }
    return digits ? Integer.parseInt(text) : -1;
  }

  /** Finds the mount and the secret's path in it. */
  Location locate(SecretRef ref) {
    String path = ref.path();
    String problem = VaultPaths.problem(path);
    if (problem != null) {
      throw VaultErrors.unsupported(ref, "the path " + problem);
    }
    Mount mount = cachedMount(path);
    while (mount == null) {
      mount = sharedLookUp(ref, path);
    }
    if (mount.version() == 0) {
      throw VaultErrors.unsupported(
          ref,
          "mount '"
              + mount.path()
              + "' is "
              + engine(mount.type())
              + "; the vault provider reads kv (versions 1 and 2)");
    }
    String rest =
        path.length() > mount.path().length() ? path.substring(mount.path().length()) : "";
    if (mount.version() == 2) {
      // The explicit API form, secret/data/app, and the short form, secret/app, name one secret.
      if (rest.startsWith("data/")) {
        rest = rest.substring("data/".length());
      } else if (rest.equals("data")) {
        rest = "";
      }
    }
    if (rest.isEmpty()) {
      throw VaultErrors.unsupported(
          ref, "the path names mount '" + mount.path() + "' itself, not a secret in it");
    }
    return new Location(mount, rest);
  }

  private Mount cachedMount(String path) {
    String withSlash = path + "/";
    Mount best = null;
    for (Mount m : mounts.values()) {
      if (withSlash.startsWith(m.path())
          && (best == null || m.path().length() > best.path().length())) {
        best = m;
      }
    }
    return best;
  }

  /**
   * Looks up the mount of a path, or waits for a look-up another thread is making for a path with
   * the same first segment, since the mount is not known before Vault answers and most mounts are
   * one segment deep. Returns null when the shared answer names a mount (a nested one) that does
   * not hold this path and none is cached yet: the caller then asks again.
   */
  private Mount sharedLookUp(SecretRef ref, String path) {
    int slash = path.indexOf('/');
    String key = slash < 0 ? path : path.substring(0, slash);
    CompletableFuture<Mount> mine = new CompletableFuture<>();
    CompletableFuture<Mount> running = lookups.putIfAbsent(key, mine);
    if (running == null) {
      try {
        // A look-up that ended between the caller's look in the cache and this flight (it caches
        // its mount before it leaves the flights) has already answered: ask Vault only once.
        Mount cached = cachedMount(path);
        Mount mount = cached != null ? cached : lookUpMount(ref, path);
        mine.complete(mount);
        return mount;
      } catch (RuntimeException e) {
        mine.completeExceptionally(e);
        throw e;
      } finally {
        lookups.remove(key, mine);
      }
    }
    Mount shared;
    try {
      shared = running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderException(
          ref, Kind.TIMEOUT, "interrupted while waiting for the look-up of the secret's mount");
    } catch (ExecutionException e) {
      throw forThisReference(ref, e.getCause());
    }
    if ((path + "/").startsWith(shared.path())) {
      return shared;
    }
    return cachedMount(path);
  }

  /** Another caller's failure, renamed for this reference, so no message names the wrong one. */
  private static RuntimeException forThisReference(SecretRef ref, Throwable t) {
    if (t instanceof ProviderException) {
      ProviderException p = (ProviderException) t;
      return new ProviderException(ref, p.kind(), p.reason(), p);
    }
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    return new IllegalStateException("the look-up of the secret's mount failed", t);
  }

  private Mount lookUpMount(SecretRef ref, String path) {
    Http1Client.Response response =
        getOnce(ref, "sys/internal/ui/mounts/" + VaultPaths.encode(path), null);
    if (response.status() == 403 || response.status() == 404) {
      // Vault answers 403 both for a mount that does not exist and for one the token may not see,
      // and very old servers lack the endpoint. Guess from the path's shape; the read then says
      // whether the secret exists and may be read. A guess is not cached.
      Mount guess = guess(path);
      LOG.debug(
          "Vault: the mount of {} could not be looked up (HTTP {}); reading it as KV version {}"
              + " at '{}'",
          ref,
          response.status(),
          guess.version(),
          guess.path());
      return guess;
    }
    if (!response.ok()) {
      throw VaultErrors.status(ref, response.status(), "looking up the secret's mount");
    }
    Mount mount = VaultErrors.reading(ref, "the mount look-up", () -> mount(path, response));
    Mount known = mounts.putIfAbsent(mount.path(), mount);
    if (known == null) {
      LOG.debug(
          "Vault: mount '{}' is {}",
          mount.path(),
          mount.version() == 0 ? engine(mount.type()) : "KV version " + mount.version());
    }
    return known == null ? mount : known;
  }

  /** Reads a mount look-up's answer. */
  private static Mount mount(String path, Http1Client.Response response) {
    JsonValue data = response.json().object("data");
    String type = data.string("type");
    String trimmed = VaultPaths.trimSlashes(data.string("path"));
    Optional<String> kvVersion =
        data.optionalObject("options").flatMap(options -> options.optionalString("version"));
    if (trimmed.isEmpty() || !(path + "/").startsWith(trimmed + "/")) {
      throw new IllegalArgumentException("member 'path' names a mount that does not hold the path");
    }
    int version;
    switch (type) {
      case "kv":
        // A KV mount made without options is version 1.
        String v = kvVersion.orElse("1");
        if (!v.equals("1") && !v.equals("2")) {
          throw new IllegalArgumentException("member 'version' of 'options' is not \"1\" or \"2\"");
        }
        version = Integer.parseInt(v);
        break;
      case "generic":
      case "cubbyhole":
        // The old name of KV v1, and the per-token store that reads like it.
        version = 1;
        break;
      default:
        version = 0;
    }
    return new Mount(trimmed + "/", type, version);
  }

  /** The secrets engines Vault ships, whose type a message may name. */
  private static final Set<String> KNOWN_ENGINES =
      Set.of(
          "ad",
          "alicloud",
          "aws",
          "azure",
          "consul",
          "database",
          "gcp",
          "gcpkms",
          "identity",
          "kmip",
          "keymgmt",
          "kubernetes",
          "ldap",
          "mongodbatlas",
          "nomad",
          "openldap",
          "pki",
          "rabbitmq",
          "ssh",
          "system",
          "terraform",
          "totp",
          "transform",
          "transit");

  /**
   * Describes an engine that is not KV for a message: a type Vault ships is named, any other is
   * not, since the text comes from the server and could be anything, a line break included.
   */
  private static String engine(String type) {
    return KNOWN_ENGINES.contains(type)
        ? "a '" + type + "' secrets engine"
        : "a secrets engine of another type";
  }

  /** secret/data/app is KV v2 at secret/; anything else is KV v1 at its first segment. */
  private static Mount guess(String path) {
    String[] segments = path.split("/");
    for (int i = 1; i < segments.length - 1; i++) {
      if (segments[i].equals("data")) {
        return new Mount(String.join("/", Arrays.copyOf(segments, i)) + "/", "kv", 2);
      }
    }
    return new Mount(segments[0] + "/", "kv", 1);
  }
}
