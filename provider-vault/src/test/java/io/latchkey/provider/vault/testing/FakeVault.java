package io.latchkey.provider.vault.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A HashiCorp Vault on the loopback interface, for tests, benchmarks and examples: the JDK's HTTP
 * server on {@code 127.0.0.1} and an ephemeral port, speaking the parts of Vault's HTTP API a KV
 * reader uses, with Vault's documented request and response shapes, headers, status codes and error
 * bodies.
 *
 * <pre>{@code
 * try (FakeVault vault = FakeVault.start();
 *     VaultSecretProvider provider = VaultSecretProvider.fromEnvironment(vault.environment())) {
 *   vault.putKv2("secret", "app", Map.of("api_key", "sk-test"));
 *   provider.fetch(SecretRef.parse("vault:secret/data/app#api_key"));
 * }
 * }</pre>
 *
 * <h2>What it serves</h2>
 *
 * <ul>
 *   <li>KV v2: {@code GET /v1/<mount>/data/<path>[?version=N]} and {@code GET
 *       /v1/<mount>/metadata/<path>}, with deleted and destroyed versions answered as Vault does
 *       (404 with the version's metadata); a mount {@code secret/} exists from the start, as in
 *       Vault's dev mode.
 *   <li>KV v1: {@code GET /v1/<mount>/<path>}.
 *   <li>{@code GET /v1/sys/internal/ui/mounts/<path>}: the mount look-up the Vault CLI makes.
 *   <li>{@code POST /v1/auth/<mount>/login} for AppRole ({@code role_id}, {@code secret_id}) and
 *       Kubernetes ({@code role}, {@code jwt}); {@code GET /v1/auth/token/lookup-self}; {@code POST
 *       /v1/auth/token/renew-self}, honouring each token's TTL, maximum TTL and renewability.
 *   <li>{@code X-Vault-Token} on every request but logins: a missing, unknown, revoked or expired
 *       token gets 403 {@code {"errors":["permission denied"]}}, as does a read the token's
 *       policies do not allow.
 *   <li>{@code X-Vault-Namespace}: secrets engines and their secrets live per namespace ({@link
 *       #namespace(String)}); tokens and auth methods are shared by all namespaces, a
 *       simplification of Vault Enterprise.
 * </ul>
 *
 * <p>Time runs on the wall clock plus an offset that {@link #advance(Duration)} moves, so that a
 * test can expire a token without waiting.
 *
 * <h2>Failure injection</h2>
 *
 * <p>{@link #fail(Failure, String, int)} makes requests whose path starts with a prefix (or all,
 * with {@code "/"}) fail in a given way, for the next N requests or until {@link #clearFailures()};
 * {@link #latency(Duration)} delays every answer. Requests are counted per path ({@link
 * #requests(String)}), and the largest number handled at once is kept ({@link
 * #maxConcurrentRequests()}): the server handles requests on a pool of threads, so concurrent
 * requests overlap.
 *
 * <p>Thread-safe. {@link #close()} releases hung requests and stops every thread the server
 * started.
 */
public final class FakeVault implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK's server writes a response's headers and its body separately; with Nagle's
    // algorithm the body then waits for the client's delayed ACK (40 ms on Linux), which would
    // add to every request the latency a real service does not have. The property is read once,
    // when the first server of the JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicInteger SERVERS = new AtomicInteger();
  private static final String ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** The lease Vault reports for KV v1 reads (its default of 32 days), in seconds. */
  private static final long KV1_LEASE_SECONDS = 2_764_800;

  /** How a request is made to fail. */
  public enum Failure {
    /** 403 {@code {"errors":["permission denied"]}}, as for an expired token. */
    PERMISSION_DENIED,
    /** 429, as a rate limit quota answers. */
    THROTTLED,
    /** 500 {@code {"errors":["internal error"]}}. */
    INTERNAL_ERROR,
    /** 503 {@code {"errors":["Vault is sealed"]}}. */
    SEALED,
    /** 412, as a performance standby answers before it has caught up with a write. */
    PRECONDITION_FAILED,
    /** 307 to another node, as a standby without request forwarding answers. */
    REDIRECT,
    /** No answer until the server closes. */
    HANG,
    /** 200 with a body that is not JSON. */
    GARBAGE,
    /** 200 with JSON of the wrong shape. */
    WRONG_SHAPE,
    /** 200 with the headers of a JSON body, then no byte of it until the server closes. */
    HANG_MID_BODY,
    /** 200 with a Content-Length of 4096, then 16 bytes and a closed connection. */
    RESET_MID_BODY,
    /** 200 with a JSON body of 2 MiB and its Content-Length. */
    OVERSIZED,
    /** 200 with a JSON body of 2 MiB, chunked (no Content-Length). */
    OVERSIZED_CHUNKED
  }

  /**
   * An AppRole's credentials, as {@code role-id} and {@code secret-id} return them.
   *
   * @param roleId the role ID
   * @param secretId a secret ID
   */
  public record AppRoleCredentials(String roleId, String secretId) {
    /** Masks both; they are credentials. */
    @Override
    public String toString() {
      return "AppRoleCredentials[***]";
    }
  }

  private record Rule(
      Failure failure,
      String prefix,
      AtomicLong remaining,
      int status,
      String body,
      Consumer<ObjectNode> edit) {}

  private record Policy(List<String> paths) {}

  private record Role(
      String name,
      String roleId,
      List<String> secretIds,
      String jwt,
      Duration ttl,
      Duration maxTtl,
      boolean renewable,
      List<String> policies) {}

  private static final class Token {
    final String id;
    final String accessor;
    final List<String> policies;
    final long ttlSeconds;
    final Instant issued;
    final Instant maxExpiry;
    final boolean renewable;
    final boolean root;
    final String path;
    final Map<String, String> meta;
    Instant expiry;
    boolean revoked;

    Token(
        String id,
        List<String> policies,
        long ttlSeconds,
        Instant issued,
        Instant maxExpiry,
        boolean renewable,
        boolean root,
        String path,
        Map<String, String> meta) {
      this.id = id;
      this.accessor = randomId("");
      this.policies = List.copyOf(policies);
      this.ttlSeconds = ttlSeconds;
      this.issued = issued;
      this.expiry = ttlSeconds == 0 ? null : issued.plusSeconds(ttlSeconds);
      this.maxExpiry = maxExpiry;
      this.renewable = renewable;
      this.root = root;
      this.path = path;
      this.meta = meta;
    }
  }

  private static final class Version {
    final ObjectNode data;
    final Instant created;
    Instant deleted;
    boolean destroyed;

    Version(ObjectNode data, Instant created) {
      this.data = data;
      this.created = created;
    }
  }

  private static final class Kv2Secret {
    final List<Version> versions = new ArrayList<>();
    final Instant created;
    Instant updated;

    Kv2Secret(Instant created) {
      this.created = created;
      this.updated = created;
    }
  }

  private static final class Mount {
    final String path;
    final String type;
    final int version;
    final String accessor;
    final String uuid = UUID.randomUUID().toString();
    final Map<String, Kv2Secret> kv2 = new TreeMap<>();
    final Map<String, ObjectNode> kv1 = new TreeMap<>();

    Mount(String path, String type, int version) {
      this.path = path;
      this.type = type;
      this.version = version;
      this.accessor = type + "_" + randomId("").substring(0, 8);
    }
  }

  /**
   * A namespace's secrets engines and secrets. The root namespace is the {@link FakeVault}'s own
   * methods; others come from {@link FakeVault#namespace(String)}.
   */
  public final class Namespace {
    private final String name;
    private final Map<String, Mount> mounts = new TreeMap<>();

    private Namespace(String name) {
      this.name = name;
    }

    /**
     * Returns the namespace's name; empty for the root namespace.
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Enables a KV version 2 engine at a mount path, if none is there.
     *
     * @param mount the mount path, such as {@code secret}
     * @throws IllegalStateException if another engine is mounted there
     */
    public void enableKv2(String mount) {
      enable(mount, "kv", 2);
    }

    /**
     * Enables a KV version 1 engine at a mount path, if none is there.
     *
     * @param mount the mount path, such as {@code kv}
     * @throws IllegalStateException if another engine is mounted there
     */
    public void enableKv1(String mount) {
      enable(mount, "kv", 1);
    }

    /**
     * Enables a secrets engine that is not KV (it serves nothing but the mount look-up).
     *
     * @param mount the mount path, such as {@code pki}
     * @param type the engine type, such as {@code pki}
     */
    public void enableEngine(String mount, String type) {
      enable(mount, type, 0);
    }

    private Mount enable(String mount, String type, int version) {
      String path = mountPath(mount);
      synchronized (FakeVault.this) {
        Mount existing = mounts.get(path);
        if (existing == null) {
          existing = new Mount(path, type, version);
          mounts.put(path, existing);
        } else if (!existing.type.equals(type) || existing.version != version) {
          throw new IllegalStateException("another engine is mounted at " + path);
        }
        return existing;
      }
    }

    /**
     * Writes a new version of a KV v2 secret, enabling KV v2 at the mount if nothing is there.
     *
     * @param mount the mount path, such as {@code secret}
     * @param path the secret's path in the mount, such as {@code app}
     * @param data the keys and values
     * @return the new version number
     */
    public int putKv2(String mount, String path, Map<String, String> data) {
      return putKv2Json(mount, path, toJson(data));
    }

    /**
     * Writes a new version of a KV v2 secret whose data is a JSON object, so that values may be
     * numbers, booleans or objects.
     *
     * @param mount the mount path
     * @param path the secret's path in the mount
     * @param json a JSON object
     * @return the new version number
     */
    public int putKv2Json(String mount, String path, String json) {
      ObjectNode data = parseObject(json);
      Mount m = enable(mount, "kv", 2);
      synchronized (FakeVault.this) {
        Kv2Secret secret = m.kv2.computeIfAbsent(secretPath(path), p -> new Kv2Secret(now()));
        secret.versions.add(new Version(data, now()));
        secret.updated = now();
        return secret.versions.size();
      }
    }

    /**
     * Writes a KV v1 secret, replacing what was there, enabling KV v1 at the mount if nothing is
     * there.
     *
     * @param mount the mount path, such as {@code kv}
     * @param path the secret's path in the mount
     * @param data the keys and values
     */
    public void putKv1(String mount, String path, Map<String, String> data) {
      ObjectNode node = parseObject(toJson(data));
      Mount m = enable(mount, "kv", 1);
      synchronized (FakeVault.this) {
        m.kv1.put(secretPath(path), node);
      }
    }

    /**
     * Soft-deletes versions of a KV v2 secret, as {@code POST /v1/<mount>/delete/<path>} does.
     *
     * @param mount the mount path
     * @param path the secret's path in the mount
     * @param versions the versions
     */
    public void deleteKv2Versions(String mount, String path, int... versions) {
      synchronized (FakeVault.this) {
        for (int v : versions) {
          version(mount, path, v).deleted = now();
        }
      }
    }

    /**
     * Destroys versions of a KV v2 secret, as {@code POST /v1/<mount>/destroy/<path>} does.
     *
     * @param mount the mount path
     * @param path the secret's path in the mount
     * @param versions the versions
     */
    public void destroyKv2Versions(String mount, String path, int... versions) {
      synchronized (FakeVault.this) {
        for (int v : versions) {
          version(mount, path, v).destroyed = true;
        }
      }
    }

    private Version version(String mount, String path, int v) {
      Mount m = mounts.get(mountPath(mount));
      Kv2Secret secret = m == null ? null : m.kv2.get(secretPath(path));
      if (secret == null || v < 1 || v > secret.versions.size()) {
        throw new IllegalArgumentException("no version " + v + " of " + mount + "/" + path);
      }
      return secret.versions.get(v - 1);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final URI address;
  private final Path caCertificate;
  private final String rootToken = randomId("hvs.");
  private final Namespace root = new Namespace("");
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, Policy> policies = new ConcurrentHashMap<>();
  private final Map<String, Role> appRoles = new ConcurrentHashMap<>();
  private final Map<String, Role> kubernetesRoles = new ConcurrentHashMap<>();
  private final Map<String, String> authMounts = new ConcurrentHashMap<>();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> namespaceHeaders = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong offsetMillis = new AtomicLong();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Duration latency = Duration.ZERO;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile String holdPrefix;
  private final AtomicInteger held = new AtomicInteger();

  private FakeVault(SSLContext tls, Path caCertificate) {
    this.caCertificate = caCertificate;
    int id = SERVERS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-vault-" + id + "-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (tls == null) {
        server = HttpServer.create(bind, 128);
      } else {
        HttpsServer https = HttpsServer.create(bind, 128);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Vault", e);
    }
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
    this.address =
        URI.create(
            (tls == null ? "http" : "https") + "://127.0.0.1:" + server.getAddress().getPort());
    namespaces.put("", root);
    root.enableKv2("secret");
    authMounts.put("approle", "approle");
    authMounts.put("kubernetes", "kubernetes");
    tokens.put(
        rootToken,
        new Token(
            rootToken, List.of("root"), 0, now(), null, false, true, "auth/token/root", Map.of()));
  }

  /**
   * Starts a fake Vault over plain HTTP on {@code 127.0.0.1} and an ephemeral port.
   *
   * @return the running server, which the caller closes
   */
  public static FakeVault start() {
    return new FakeVault(null, null);
  }

  /**
   * Starts a fake Vault over HTTPS with a self-signed certificate for {@code 127.0.0.1} and {@code
   * localhost}, generated now with the JDK's {@code keytool}.
   *
   * @param workDir where to write the key store and the certificate (PEM)
   * @return the running server, which the caller closes
   */
  public static FakeVault startTls(Path workDir) {
    return startTls(workDir, "ip:127.0.0.1,dns:localhost");
  }

  /**
   * Starts a fake Vault over HTTPS with a self-signed certificate whose subject alternative names
   * are {@code names} (keytool's {@code SAN=} syntax, such as {@code dns:vault.example}), for tests
   * of a certificate that does not name the address the client connects to.
   *
   * @param workDir where to write the key store and the certificate (PEM)
   * @param names the certificate's subject alternative names
   * @return the running server, which the caller closes
   */
  public static FakeVault startTls(Path workDir, String names) {
    requireNonNull(workDir, "workDir");
    requireNonNull(names, "names");
    String name = "fake-vault-" + randomId("").substring(0, 8);
    Path keyStore = workDir.resolve(name + ".p12");
    Path pem = workDir.resolve(name + "-ca.pem");
    char[] password = randomId("").toCharArray();
    keytool(
        "-genkeypair",
        "-alias",
        "vault",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=" + names,
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        new String(password),
        "-keypass",
        new String(password));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "vault",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        new String(password),
        "-file",
        pem.toString());
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return new FakeVault(context, pem);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the generated key store", e);
    }
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // keytool is a JVM of its own: start it lean, it runs for a second.
    command.add("-J-XX:TieredStopAtLevel=1");
    command.add("-J-XX:+UseSerialGC");
    command.addAll(Arrays.asList(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + new String(output, UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /**
   * Returns the server's address, {@code http(s)://127.0.0.1:PORT}.
   *
   * @return the address
   */
  public URI address() {
    return address;
  }

  /**
   * Returns the root token, which never expires and may do anything.
   *
   * @return the token
   */
  public String rootToken() {
    return rootToken;
  }

  /**
   * Returns the server's self-signed certificate as a PEM file, the CA to trust.
   *
   * @return the file
   * @throws IllegalStateException if the server speaks plain HTTP
   */
  public Path caCertificate() {
    if (caCertificate == null) {
      throw new IllegalStateException("this fake Vault speaks plain HTTP");
    }
    return caCertificate;
  }

  /**
   * Returns the settings a provider needs to reach this server with the root token: {@code
   * VAULT_ADDR}, {@code VAULT_TOKEN} and, over HTTPS, {@code VAULT_CACERT}.
   *
   * @return a new, modifiable map
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("VAULT_ADDR", address.toString());
    env.put("VAULT_TOKEN", rootToken);
    if (caCertificate != null) {
      env.put("VAULT_CACERT", caCertificate.toString());
    }
    return env;
  }

  /**
   * Returns a namespace, creating it on first use.
   *
   * @param name the namespace, such as {@code team-a}
   * @return the namespace
   */
  public Namespace namespace(String name) {
    String key = mountPath(name);
    key = key.substring(0, key.length() - 1);
    synchronized (this) {
      return namespaces.computeIfAbsent(key, Namespace::new);
    }
  }

  /**
   * Writes a new version of a KV v2 secret in the root namespace; see {@link
   * Namespace#putKv2(String, String, Map)}.
   *
   * @param mount the mount path, such as {@code secret}
   * @param path the secret's path in the mount, such as {@code app}
   * @param data the keys and values
   * @return the new version number
   */
  public int putKv2(String mount, String path, Map<String, String> data) {
    return root.putKv2(mount, path, data);
  }

  /**
   * Writes a new version of a KV v2 secret whose data is a JSON object, in the root namespace.
   *
   * @param mount the mount path
   * @param path the secret's path in the mount
   * @param json a JSON object
   * @return the new version number
   */
  public int putKv2Json(String mount, String path, String json) {
    return root.putKv2Json(mount, path, json);
  }

  /**
   * Writes a KV v1 secret in the root namespace; see {@link Namespace#putKv1(String, String, Map)}.
   *
   * @param mount the mount path, such as {@code kv}
   * @param path the secret's path in the mount
   * @param data the keys and values
   */
  public void putKv1(String mount, String path, Map<String, String> data) {
    root.putKv1(mount, path, data);
  }

  /**
   * Enables a KV version 1 engine in the root namespace.
   *
   * @param mount the mount path
   */
  public void enableKv1(String mount) {
    root.enableKv1(mount);
  }

  /**
   * Enables a KV version 2 engine in the root namespace.
   *
   * @param mount the mount path
   */
  public void enableKv2(String mount) {
    root.enableKv2(mount);
  }

  /**
   * Enables an engine that is not KV in the root namespace.
   *
   * @param mount the mount path
   * @param type the engine type, such as {@code pki}
   */
  public void enableEngine(String mount, String type) {
    root.enableEngine(mount, type);
  }

  /**
   * Soft-deletes versions of a KV v2 secret in the root namespace.
   *
   * @param mount the mount path
   * @param path the secret's path in the mount
   * @param versions the versions
   */
  public void deleteKv2Versions(String mount, String path, int... versions) {
    root.deleteKv2Versions(mount, path, versions);
  }

  /**
   * Destroys versions of a KV v2 secret in the root namespace.
   *
   * @param mount the mount path
   * @param path the secret's path in the mount
   * @param versions the versions
   */
  public void destroyKv2Versions(String mount, String path, int... versions) {
    root.destroyKv2Versions(mount, path, versions);
  }

  /**
   * Creates or replaces an ACL policy that grants {@code read} on some paths.
   *
   * @param name the policy's name
   * @param readablePaths API paths such as {@code secret/data/app}; a trailing {@code *} matches
   *     any suffix, as in Vault's policy syntax
   */
  public void policy(String name, String... readablePaths) {
    policies.put(requireNonNull(name, "name"), new Policy(List.of(readablePaths)));
  }

  /**
   * Creates a token, as {@code POST /v1/auth/token/create} does.
   *
   * @param ttl its TTL; zero for one that never expires
   * @param maxTtl its maximum TTL, past which renewals cannot extend it; zero for none
   * @param renewable whether {@code renew-self} may extend it
   * @param policyNames the policies it carries
   * @return the token
   */
  public String createToken(
      Duration ttl, Duration maxTtl, boolean renewable, String... policyNames) {
    String id = randomId("hvs.");
    Instant now = now();
    tokens.put(
        id,
        new Token(
            id,
            List.of(policyNames),
            ttl.toSeconds(),
            now,
            maxTtl.isZero() ? null : now.plus(maxTtl),
            renewable,
            false,
            "auth/token/create",
            Map.of()));
    return id;
  }

  /**
   * Revokes a token: every later request with it is denied.
   *
   * @param token the token
   */
  public void revokeToken(String token) {
    Token t = tokens.get(token);
    if (t != null) {
      synchronized (this) {
        t.revoked = true;
      }
    }
  }

  /**
   * Tells whether a token is valid now (known, not revoked, not expired).
   *
   * @param token the token
   * @return whether Vault would accept it
   */
  public boolean isValid(String token) {
    synchronized (this) {
      return valid(token) != null;
    }
  }

  /**
   * Returns the tokens issued by logins and not revoked, newest last.
   *
   * @return the tokens
   */
  public List<String> loginTokens() {
    synchronized (this) {
      List<Token> issued = new ArrayList<>();
      for (Token t : tokens.values()) {
        if (t.path.endsWith("/login") && !t.revoked) {
          issued.add(t);
        }
      }
      issued.sort((a, b) -> a.issued.compareTo(b.issued));
      List<String> ids = new ArrayList<>();
      issued.forEach(t -> ids.add(t.id));
      return ids;
    }
  }

  /**
   * Creates or replaces an AppRole role at the {@code approle} mount and returns its role ID and a
   * new secret ID.
   *
   * @param role the role's name
   * @param ttl the TTL of tokens it issues
   * @param maxTtl their maximum TTL; zero for none
   * @param renewable whether its tokens are renewable
   * @param policyNames the policies its tokens carry
   * @return the credentials
   */
  public AppRoleCredentials appRole(
      String role, Duration ttl, Duration maxTtl, boolean renewable, String... policyNames) {
    String roleId = UUID.randomUUID().toString();
    String secretId = UUID.randomUUID().toString();
    List<String> secretIds = new CopyOnWriteArrayList<>(List.of(secretId));
    appRoles.put(
        role,
        new Role(role, roleId, secretIds, null, ttl, maxTtl, renewable, List.of(policyNames)));
    return new AppRoleCredentials(roleId, secretId);
  }

  /**
   * Issues a new secret ID for an AppRole role and invalidates the earlier ones.
   *
   * @param role the role's name
   * @return the new secret ID
   */
  public String rotateSecretId(String role) {
    String secretId = UUID.randomUUID().toString();
    List<String> secretIds = appRoles.get(role).secretIds();
    secretIds.clear();
    secretIds.add(secretId);
    return secretId;
  }

  /**
   * Creates or replaces a Kubernetes auth role that accepts exactly one service account token
   * (where Vault would ask Kubernetes to review the token).
   *
   * @param role the role's name
   * @param serviceAccountJwt the service account token it accepts
   * @param ttl the TTL of tokens it issues
   * @param maxTtl their maximum TTL; zero for none
   * @param policyNames the policies its tokens carry
   */
  public void kubernetesRole(
      String role, String serviceAccountJwt, Duration ttl, Duration maxTtl, String... policyNames) {
    kubernetesRoles.put(
        role,
        new Role(
            role, null, List.of(), serviceAccountJwt, ttl, maxTtl, true, List.of(policyNames)));
  }

  /**
   * Mounts an auth method at another path as well, such as AppRole at {@code approle-prod}.
   *
   * @param mount the path after {@code auth/}
   * @param type {@code approle} or {@code kubernetes}
   */
  public void authMount(String mount, String type) {
    authMounts.put(mount, type);
  }

  /**
   * Moves the server's clock forward, so that tokens expire without waiting.
   *
   * @param amount how far
   */
  public void advance(Duration amount) {
    offsetMillis.addAndGet(amount.toMillis());
  }

  /**
   * Returns the server's time: the wall clock plus what {@link #advance(Duration)} added.
   *
   * @return the time
   */
  public Instant now() {
    return Instant.now().plusMillis(offsetMillis.get());
  }

  /**
   * Delays every answer by this much (zero for none); requests still overlap.
   *
   * @param latency the delay
   */
  public void latency(Duration latency) {
    this.latency = requireNonNull(latency, "latency");
  }

  /**
   * Makes requests fail.
   *
   * @param failure how they fail
   * @param pathPrefix the request paths it applies to, such as {@code /v1/secret/data/app}; {@code
   *     /} for all
   * @param times how many requests fail; negative for all until {@link #clearFailures()}
   */
  public void fail(Failure failure, String pathPrefix, int times) {
    rules.add(new Rule(failure, pathPrefix, new AtomicLong(times), 0, null, null));
  }

  /**
   * Makes the next requests fail, whatever their path.
   *
   * @param failure how they fail
   * @param times how many requests fail
   */
  public void failNext(Failure failure, int times) {
    fail(failure, "/", times);
  }

  /**
   * Makes every request fail until {@link #clearFailures()}.
   *
   * @param failure how they fail
   */
  public void failAlways(Failure failure) {
    fail(failure, "/", -1);
  }

  /**
   * Makes requests fail with a given status and body, such as an error text that echoes data.
   *
   * @param pathPrefix the request paths it applies to; {@code /} for all
   * @param status the status code
   * @param body the body, sent as it is
   * @param times how many requests fail; negative for all until {@link #clearFailures()}
   */
  public void failWith(String pathPrefix, int status, String body, int times) {
    rules.add(new Rule(null, pathPrefix, new AtomicLong(times), status, body, null));
  }

  /**
   * Answers requests as usual, but edits the JSON answer first, such as to give a field the wrong
   * type: {@code tamper("/v1/secret/data/", -1, a -> a.with("data").with("metadata").put("version",
   * 2.7))}.
   *
   * @param pathPrefix the request paths it applies to; {@code /} for all
   * @param times how many answers are edited; negative for all until {@link #clearFailures()}
   * @param edit the edit, applied to the whole answer
   */
  public void tamper(String pathPrefix, int times, Consumer<ObjectNode> edit) {
    requireNonNull(edit, "edit");
    rules.add(new Rule(null, pathPrefix, new AtomicLong(times), 0, null, edit));
  }

  /**
   * Holds every request whose path starts with a prefix, before it is answered, until {@link
   * #release()}; {@link #held()} counts the requests waiting.
   *
   * @param pathPrefix the prefix, such as {@code /v1/sys/internal/ui/mounts/}
   */
  public void hold(String pathPrefix) {
    gate = new CountDownLatch(1);
    holdPrefix = requireNonNull(pathPrefix, "pathPrefix");
  }

  /** Lets held requests (and later ones) through. */
  public void release() {
    holdPrefix = null;
    gate.countDown();
  }

  /**
   * Returns how many requests are held by {@link #hold(String)} now.
   *
   * @return the number
   */
  public int held() {
    return held.get();
  }

  /**
   * Returns how many requests are being handled now.
   *
   * @return the number
   */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Accepts a revoked token again, as a token restored from a backup would be.
   *
   * @param token the token
   */
  public void restoreToken(String token) {
    Token t = tokens.get(token);
    if (t != null) {
      synchronized (this) {
        t.revoked = false;
      }
    }
  }

  /** Stops every injected failure. */
  public void clearFailures() {
    rules.clear();
  }

  /**
   * Counts the requests whose path starts with a prefix, such as {@code /v1/secret/data/} or {@code
   * /v1/auth/approle/login}.
   *
   * @param pathPrefix the prefix; {@code /} for all
   * @return how many were received
   */
  public long requests(String pathPrefix) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      if (e.getKey().startsWith(pathPrefix)) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /**
   * Returns the {@code X-Vault-Namespace} headers received on paths with a prefix; an empty string
   * stands for a request without one.
   *
   * @param pathPrefix the prefix, such as {@code /v1/auth/approle/login}
   * @return the distinct values, sorted
   */
  public Set<String> namespaceHeaders(String pathPrefix) {
    Set<String> seen = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : namespaceHeaders.entrySet()) {
      if (e.getKey().startsWith(pathPrefix)) {
        seen.addAll(e.getValue());
      }
    }
    return seen;
  }

  /**
   * Returns the largest number of requests handled at once so far.
   *
   * @return the number
   */
  public int maxConcurrentRequests() {
    return maxInFlight.get();
  }

  /** Forgets the request counts and the concurrency high-water mark. */
  public void resetCounters() {
    counts.clear();
    namespaceHeaders.clear();
    maxInFlight.set(0);
  }

  /** Releases hung requests and stops the server and its threads. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FakeVault[" + address + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Serving

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      String path = exchange.getRequestURI().getPath();
      counts.computeIfAbsent(path, p -> new LongAdder()).increment();
      String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
      namespaceHeaders
          .computeIfAbsent(path, p -> ConcurrentHashMap.newKeySet())
          .add(namespace == null ? "" : namespace);
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Duration delay = latency;
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      String holding = holdPrefix;
      if (holding != null && path.startsWith(holding)) {
        held.incrementAndGet();
        try {
          gate.await(60, TimeUnit.SECONDS);
        } finally {
          held.decrementAndGet();
        }
      }
      Rule rule = matchingRule(path);
      if (rule != null && rule.edit() == null) {
        inject(exchange, rule, path);
        return;
      }
      Answer answer = route(exchange, path, body);
      if (rule != null) {
        ObjectNode tree = (ObjectNode) JSON.readTree(answer.body);
        rule.edit().accept(tree);
        answer = new Answer(answer.status, bytes(tree));
      }
      send(exchange, answer.status, answer.body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      send(exchange, 500, errors("internal error"));
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private Rule matchingRule(String path) {
    for (Rule rule : rules) {
      if (path.startsWith(rule.prefix())) {
        long left = rule.remaining().get();
        if (left < 0) {
          return rule;
        }
        while (left > 0) {
          if (rule.remaining().compareAndSet(left, left - 1)) {
            return rule;
          }
          left = rule.remaining().get();
        }
      }
    }
    return null;
  }

  private void inject(HttpExchange exchange, Rule rule, String path) throws IOException {
    if (rule.failure() == null) {
      send(exchange, rule.status(), rule.body().getBytes(UTF_8));
      return;
    }
    switch (rule.failure()) {
      case PERMISSION_DENIED:
        send(exchange, 403, errors("permission denied"));
        break;
      case THROTTLED:
        send(
            exchange,
            429,
            errors("request path \"" + path.substring(4) + "\": rate limit quota exceeded"));
        break;
      case INTERNAL_ERROR:
        send(exchange, 500, errors("internal error"));
        break;
      case SEALED:
        send(exchange, 503, errors("Vault is sealed"));
        break;
      case PRECONDITION_FAILED:
        send(exchange, 412, errors("required index state not present"));
        break;
      case REDIRECT:
        exchange.getResponseHeaders().set("Location", "https://127.0.0.2:8200" + path);
        send(exchange, 307, new byte[0]);
        break;
      case HANG:
        try {
          closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        break;
      case GARBAGE:
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write("<html><body>this is not JSON {".getBytes(UTF_8));
        }
        break;
      case WRONG_SHAPE:
        send(exchange, 200, "{\"data\":\"not an object\",\"warnings\":null}".getBytes(UTF_8));
        break;
      case HANG_MID_BODY:
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 4096);
        exchange.getResponseBody().flush();
        try {
          closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        break;
      case RESET_MID_BODY:
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 4096);
        OutputStream partial = exchange.getResponseBody();
        partial.write("{\"request_id\":\"".getBytes(UTF_8));
        partial.flush();
        // Closing the exchange short of the declared length drops the connection.
        break;
      case OVERSIZED:
      case OVERSIZED_CHUNKED:
        byte[] big = oversized();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, rule.failure() == Failure.OVERSIZED ? big.length : 0);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(big);
        } catch (IOException e) {
          // The client stopped reading: what it should do.
        }
        break;
      default:
        throw new IllegalStateException("unknown failure");
    }
  }

  private record Answer(int status, byte[] body) {}

  private Answer route(HttpExchange exchange, String path, byte[] body) {
    if (!path.startsWith("/v1/")) {
      return new Answer(404, errors());
    }
    String api = path.substring(4);
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String tokenHeader = exchange.getRequestHeaders().getFirst("X-Vault-Token");
    synchronized (this) {
      if (api.startsWith("auth/") && api.endsWith("/login") && !api.startsWith("auth/token/")) {
        if (!method.equals("POST") && !method.equals("PUT")) {
          return new Answer(405, errors("unsupported operation"));
        }
        return login(api.substring(5, api.length() - "/login".length()), body);
      }
      Token token = valid(tokenHeader);
      if (token == null) {
        return new Answer(403, errors("permission denied"));
      }
      if (api.equals("auth/token/lookup-self")) {
        return new Answer(200, lookup(token));
      }
      if (api.equals("auth/token/renew-self")) {
        if (!method.equals("POST") && !method.equals("PUT")) {
          return new Answer(405, errors("unsupported operation"));
        }
        return renew(token);
      }
      Namespace ns = namespaceOf(exchange.getRequestHeaders().getFirst("X-Vault-Namespace"));
      if (ns == null) {
        return new Answer(
            404, errors("no handler for route \"" + api + "\". route entry not found."));
      }
      if (api.startsWith("sys/internal/ui/mounts/")) {
        return mountInfo(ns, token, api.substring("sys/internal/ui/mounts/".length()));
      }
      if (!method.equals("GET")) {
        return new Answer(405, errors("unsupported operation"));
      }
      if (!allows(token, api)) {
        return new Answer(403, errors("permission denied"));
      }
      Mount mount = mountFor(ns, api);
      if (mount == null || mount.version == 0) {
        return new Answer(
            404, errors("no handler for route \"" + api + "\". route entry not found."));
      }
      String rest = api.substring(mount.path.length());
      if (mount.version == 1) {
        ObjectNode data = mount.kv1.get(rest);
        if (data == null) {
          return new Answer(404, errors());
        }
        ObjectNode response = envelope();
        response.put("lease_duration", KV1_LEASE_SECONDS);
        response.set("data", data.deepCopy());
        return new Answer(200, bytes(response));
      }
      if (rest.startsWith("data/")) {
        return readKv2(mount, rest.substring(5), exchange.getRequestURI().getRawQuery());
      }
      if (rest.startsWith("metadata/")) {
        return readMetadata(mount, rest.substring(9));
      }
      // What Vault answers for a KV v2 path without data/ or metadata/.
      ObjectNode response = envelope();
      response.putNull("data");
      response
          .putArray("warnings")
          .add(
              "Invalid path for a versioned K/V secrets engine. See the API docs for the"
                  + " appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get'"
                  + " for this operation.");
      return new Answer(404, bytes(response));
    }
  }

  private Namespace namespaceOf(String header) {
    if (header == null || header.isBlank()) {
      return root;
    }
    String name = header.strip();
    while (name.startsWith("/")) {
      name = name.substring(1);
    }
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.isEmpty() || name.equals("root") ? root : namespaces.get(name);
  }

  private static Mount mountFor(Namespace ns, String api) {
    Mount best = null;
    for (Mount m : ns.mounts.values()) {
      if ((api + "/").startsWith(m.path)
          && (best == null || m.path.length() > best.path.length())) {
        best = m;
      }
    }
    return best;
  }

  private Answer readKv2(Mount mount, String path, String query) {
    Kv2Secret secret = mount.kv2.get(path);
    int wanted = 0;
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("version=")) {
          try {
            wanted = Integer.parseInt(pair.substring("version=".length()));
          } catch (NumberFormatException e) {
            return new Answer(400, errors("invalid version"));
          }
        }
      }
    }
    if (secret == null) {
      return new Answer(404, errors());
    }
    int number = wanted == 0 ? secret.versions.size() : wanted;
    if (number < 1 || number > secret.versions.size()) {
      return new Answer(404, errors());
    }
    Version version = secret.versions.get(number - 1);
    boolean gone =
        version.destroyed || (version.deleted != null && !version.deleted.isAfter(now()));
    ObjectNode response = envelope();
    ObjectNode data = response.putObject("data");
    if (gone) {
      data.putNull("data");
    } else {
      data.set("data", version.data.deepCopy());
    }
    ObjectNode metadata = data.putObject("metadata");
    metadata.put("created_time", time(version.created));
    metadata.putNull("custom_metadata");
    metadata.put("deletion_time", version.deleted == null ? "" : time(version.deleted));
    metadata.put("destroyed", version.destroyed);
    metadata.put("version", number);
    response.put("mount_type", "kv");
    return new Answer(gone ? 404 : 200, bytes(response));
  }

  private Answer readMetadata(Mount mount, String path) {
    Kv2Secret secret = mount.kv2.get(path);
    if (secret == null) {
      return new Answer(404, errors());
    }
    ObjectNode response = envelope();
    ObjectNode data = response.putObject("data");
    data.put("cas_required", false);
    data.put("created_time", time(secret.created));
    data.put("current_version", secret.versions.size());
    data.putNull("custom_metadata");
    data.put("delete_version_after", "0s");
    data.put("max_versions", 0);
    data.put("oldest_version", 0);
    data.put("updated_time", time(secret.updated));
    ObjectNode versions = data.putObject("versions");
    for (int i = 0; i < secret.versions.size(); i++) {
      Version v = secret.versions.get(i);
      ObjectNode entry = versions.putObject(Integer.toString(i + 1));
      entry.put("created_time", time(v.created));
      entry.put("deletion_time", v.deleted == null ? "" : time(v.deleted));
      entry.put("destroyed", v.destroyed);
    }
    response.put("mount_type", "kv");
    return new Answer(200, bytes(response));
  }

  private Answer mountInfo(Namespace ns, Token token, String path) {
    Mount mount = mountFor(ns, path);
    String denied =
        "preflight capability check returned 403, please ensure client's policies grant access to"
            + " path \""
            + path
            + "/\"";
    // Vault answers 403 for a missing mount too, so that the endpoint cannot list mounts.
    if (mount == null || !hasMountAccess(token, mount.path)) {
      return new Answer(403, errors(denied));
    }
    ObjectNode response = envelope();
    ObjectNode data = response.putObject("data");
    data.put("accessor", mount.accessor);
    ObjectNode config = data.putObject("config");
    config.put("default_lease_ttl", 0);
    config.put("force_no_cache", false);
    config.put("max_lease_ttl", 0);
    data.put("description", mount.type.equals("kv") ? "key/value secret storage" : "");
    data.put("external_entropy_access", false);
    data.put("local", false);
    if (mount.version == 0) {
      data.putNull("options");
    } else {
      data.putObject("options").put("version", Integer.toString(mount.version));
    }
    data.put("path", mount.path);
    data.put("plugin_version", "");
    data.put("running_plugin_version", "v0.20.0+builtin");
    data.put("running_sha256", "");
    data.put("seal_wrap", false);
    data.put("type", mount.type);
    data.put("uuid", mount.uuid);
    return new Answer(200, bytes(response));
  }

  private Answer login(String mount, byte[] body) {
    String type = authMounts.get(mount);
    if (type == null) {
      return new Answer(
          404, errors("no handler for route \"auth/" + mount + "/login\". route entry not found."));
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      return new Answer(400, errors("failed to parse JSON input: invalid character"));
    }
    if (request == null || !request.isObject()) {
      return new Answer(400, errors("failed to parse JSON input"));
    }
    Role role;
    Map<String, String> meta;
    if (type.equals("approle")) {
      String roleId = request.path("role_id").asText("");
      String secretId = request.path("secret_id").asText("");
      if (roleId.isEmpty()) {
        return new Answer(400, errors("missing role_id"));
      }
      role = null;
      for (Role r : appRoles.values()) {
        if (r.roleId().equals(roleId)) {
          role = r;
        }
      }
      if (role == null || !role.secretIds().contains(secretId)) {
        return new Answer(400, errors("invalid role or secret ID"));
      }
      meta = Map.of("role_name", role.name());
    } else {
      String name = request.path("role").asText("");
      String jwt = request.path("jwt").asText("");
      if (name.isEmpty()) {
        return new Answer(400, errors("missing role"));
      }
      role = kubernetesRoles.get(name);
      if (role == null) {
        return new Answer(400, errors("invalid role name \"" + name + "\""));
      }
      if (!role.jwt().equals(jwt)) {
        return new Answer(403, errors("permission denied"));
      }
      meta =
          Map.of(
              "role", name, "service_account_name", "app", "service_account_namespace", "default");
    }
    String id = randomId("hvs.");
    Instant now = now();
    Token token =
        new Token(
            id,
            role.policies(),
            role.ttl().toSeconds(),
            now,
            role.maxTtl().isZero() ? null : now.plus(role.maxTtl()),
            role.renewable(),
            false,
            "auth/" + mount + "/login",
            meta);
    tokens.put(id, token);
    ObjectNode response = envelope();
    response.putNull("data");
    response.set("auth", auth(token, token.ttlSeconds));
    return new Answer(200, bytes(response));
  }

  private byte[] lookup(Token token) {
    ObjectNode response = envelope();
    ObjectNode data = response.putObject("data");
    data.put("accessor", token.accessor);
    data.put("creation_time", token.issued.getEpochSecond());
    data.put("creation_ttl", token.ttlSeconds);
    data.put("display_name", token.root ? "root" : "token");
    data.put("entity_id", "");
    if (token.expiry == null) {
      data.putNull("expire_time");
    } else {
      data.put("expire_time", time(token.expiry));
    }
    data.put("explicit_max_ttl", 0);
    data.put("id", token.id);
    data.put("issue_time", time(token.issued));
    data.set("meta", token.meta.isEmpty() ? NODES.nullNode() : JSON.valueToTree(token.meta));
    data.put("num_uses", 0);
    data.put("orphan", !token.root);
    data.put("path", token.path);
    ArrayNode policyList = data.putArray("policies");
    token.policies.forEach(policyList::add);
    data.put("renewable", token.renewable);
    data.put(
        "ttl",
        token.expiry == null ? 0 : Math.max(0, Duration.between(now(), token.expiry).toSeconds()));
    data.put("type", "service");
    return bytes(response);
  }

  private Answer renew(Token token) {
    if (!token.renewable) {
      return new Answer(400, errors("lease is not renewable"));
    }
    Instant now = now();
    long ttl = token.ttlSeconds;
    ObjectNode response = envelope();
    response.putNull("data");
    if (token.maxExpiry != null) {
      long left = Math.max(0, Duration.between(now, token.maxExpiry).toSeconds());
      if (left < ttl) {
        response
            .putArray("warnings")
            .add(
                "TTL of \""
                    + ttl
                    + "s\" exceeded the effective max_ttl of \""
                    + left
                    + "s\"; TTL value is capped accordingly");
        ttl = left;
      }
    }
    token.expiry = now.plusSeconds(ttl);
    response.set("auth", auth(token, ttl));
    return new Answer(200, bytes(response));
  }

  private static ObjectNode auth(Token token, long ttl) {
    ObjectNode auth = NODES.objectNode();
    auth.put("client_token", token.id);
    auth.put("accessor", token.accessor);
    ArrayNode policyList = auth.putArray("policies");
    token.policies.forEach(policyList::add);
    ArrayNode tokenPolicies = auth.putArray("token_policies");
    token.policies.forEach(tokenPolicies::add);
    auth.set("metadata", token.meta.isEmpty() ? NODES.nullNode() : JSON.valueToTree(token.meta));
    auth.put("lease_duration", ttl);
    auth.put("renewable", token.renewable);
    auth.put("entity_id", "");
    auth.put("token_type", "service");
    auth.put("orphan", true);
    auth.putNull("mfa_requirement");
    auth.put("num_uses", 0);
    return auth;
  }

  private Token valid(String id) {
    if (id == null) {
      return null;
    }
    Token t = tokens.get(id);
    if (t == null || t.revoked || (t.expiry != null && !now().isBefore(t.expiry))) {
      return null;
    }
    return t;
  }

  private boolean allows(Token token, String api) {
    if (token.root) {
      return true;
    }
    for (String name : token.policies) {
      Policy policy = policies.get(name);
      if (policy == null) {
        continue;
      }
      for (String pattern : policy.paths()) {
        if (pattern.endsWith("*")
            ? api.startsWith(pattern.substring(0, pattern.length() - 1))
            : api.equals(pattern)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean hasMountAccess(Token token, String mountPath) {
    if (token.root) {
      return true;
    }
    for (String name : token.policies) {
      Policy policy = policies.get(name);
      if (policy == null) {
        continue;
      }
      for (String pattern : policy.paths()) {
        String prefix =
            pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (prefix.startsWith(mountPath) || mountPath.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  private ObjectNode envelope() {
    ObjectNode response = NODES.objectNode();
    response.put("request_id", UUID.randomUUID().toString());
    response.put("lease_id", "");
    response.put("renewable", false);
    response.put("lease_duration", 0);
    response.putNull("data");
    response.putNull("wrap_info");
    response.putNull("warnings");
    response.putNull("auth");
    return response;
  }

  /** A KV v2 answer of 2 MiB: a value no secret has, padded with spaces JSON allows. */
  private static byte[] oversized() {
    byte[] head = "{\"data\":{\"data\":{\"k\":\"v\"},\"metadata\":{\"version\":1}}".getBytes(UTF_8);
    byte[] big = new byte[2 * 1024 * 1024];
    Arrays.fill(big, (byte) ' ');
    System.arraycopy(head, 0, big, 0, head.length);
    big[big.length - 1] = '}';
    return big;
  }

  private static byte[] errors(String... messages) {
    ObjectNode response = NODES.objectNode();
    ArrayNode list = response.putArray("errors");
    for (String m : messages) {
      list.add(m);
    }
    return bytes(response);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (body.length > 0 && !exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String toJson(Map<String, String> data) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(data));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode parseObject(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("the data must be a JSON object");
      }
      return (ObjectNode) sorted(node);
    } catch (IOException e) {
      throw new IllegalArgumentException("the data must be a JSON object", e);
    }
  }

  /** Vault keeps secret data as Go maps, whose JSON encoding sorts the keys at every level. */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      TreeSet<String> keys = new TreeSet<>();
      node.fieldNames().forEachRemaining(keys::add);
      keys.forEach(key -> copy.set(key, sorted(node.get(key))));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode();
      node.forEach(element -> copy.add(sorted(element)));
      return copy;
    }
    return node;
  }

  private static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).toString();
  }

  private static String mountPath(String mount) {
    String m = requireNonNull(mount, "mount").strip();
    while (m.startsWith("/")) {
      m = m.substring(1);
    }
    while (m.endsWith("/")) {
      m = m.substring(0, m.length() - 1);
    }
    if (m.isEmpty()) {
      throw new IllegalArgumentException("a mount path must not be empty");
    }
    return m + "/";
  }

  private static String secretPath(String path) {
    String p = requireNonNull(path, "path");
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException("a secret path must not be empty");
    }
    return p;
  }

  private static String randomId(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
