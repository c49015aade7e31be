package io.latchkey.provider.vault;

import static java.util.Objects.requireNonNull;

import io.latchkey.spi.Http1Client;
import io.latchkey.spi.Loopback;
import io.latchkey.spi.ProviderThreads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds what the provider talks to Vault with, and owns its threads: checks the address (and
 * refuses plain {@code http} to a remote host), reads the CA certificates to trust (exactly those,
 * not the system's as well: an operator who names Vault's CA means that CA), and makes the HTTP
 * client ({@link Http1Client}), the executor its exchanges run on, and the token renewer's
 * scheduler. {@link #close()} stops both and waits for their threads, so that none outlives the
 * provider.
 */
final class VaultClientFactory implements AutoCloseable {
  /** How long {@link #close()} waits for the provider's threads to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  /** CA bundles are small; a larger file is not one. */
  private static final int MAX_PEM_BYTES = 4 * 1024 * 1024;

  private final ProviderThreads httpThreads = new ProviderThreads("latchkey-vault-http-");
  private final ProviderThreads renewerThreads = new ProviderThreads("latchkey-vault-renewer-");
  private final ThreadPoolExecutor executor;
  private final Http1Client client;

  /**
   * Makes the client; no thread starts and no connection opens before the first request.
   *
   * @param address an address {@link #address(URI)} accepted
   * @param connectTimeout the longest a connection may take to open
   * @param anchors the CA certificates to trust instead of the system's, or null
   */
  VaultClientFactory(URI address, Duration connectTimeout, List<X509Certificate> anchors) {
    // Each exchange holds one of these threads for its round trip, so that a prefetch of 50
    // references has 50 requests in flight at once and none queues behind another. Idle threads
    // end after 30 s.
    this.executor =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), httpThreads);
    Supplier<SSLSocketFactory> tls = null;
    if ("https".equals(address.getScheme())) {
      // Made once, when the first connection needs it: the JDK's default context (the system's
      // trust store) costs a fresh JVM about a tenth of a second. Plain http sets up no TLS at all.
      SSLSocketFactory given = anchors == null ? null : sslContext(anchors).getSocketFactory();
      tls = given != null ? () -> given : VaultClientFactory::systemTls;
    }
    this.client =
        new Http1Client(address, tls, connectTimeout, VaultHttp.MAX_BODY_BYTES, System::nanoTime);
  }

  private static SSLSocketFactory systemTls() {
    return (SSLSocketFactory) SSLSocketFactory.getDefault();
  }

  /** Returns the HTTP client, whose exchanges run on {@link #executor()}. */
  Http1Client client() {
    return client;
  }

  /** Returns the executor the exchanges run on, which this factory owns and stops. */
  Executor executor() {
    return executor;
  }

  /** Returns the token renewer's scheduler, on a daemon thread this factory owns. */
  RenewalScheduler renewalScheduler(Clock clock) {
    return RenewalScheduler.onThread(clock, renewerThreads);
  }

  /**
   * Stops the executor and waits for every thread made here to end. Exchanges in flight are the
   * caller's to abort first ({@link VaultHttp#close()}), and the scheduler's to stop.
   */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    httpThreads.join(CLOSE_WAIT);
    renewerThreads.join(CLOSE_WAIT);
  }

  /**
   * Checks an address and drops a trailing slash.
   *
   * @throws IllegalArgumentException if it is not an {@code http} or {@code https} URL with a host,
   *     or has user information, a query or a fragment
   */
  static URI address(URI address) {
    requireNonNull(address, "address");
    String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("address must be an http or https URL");
    }
    if (address.getRawUserInfo() != null) {
      throw new IllegalArgumentException("address must not hold user information");
    }
    if (address.getHost() == null || address.getHost().isEmpty()) {
      throw new IllegalArgumentException("address must name a host");
    }
    if (address.getRawQuery() != null || address.getRawFragment() != null) {
      throw new IllegalArgumentException("address must not have a query or a fragment");
    }
    // The scheme is case-insensitive (RFC 3986 3.1), and everything after this compares it in
    // lower case: HTTPS://vault must make a TLS connection like https://vault.
    String text = scheme + address.toString().substring(address.getScheme().length());
    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /** Tells whether the token would cross the network in clear text to this address. */
  static boolean isPlainHttpToRemote(URI address) {
    return "http".equalsIgnoreCase(address.getScheme())
        && !Loopback.isLoopbackHost(address.getHost());
  }

  /**
   * Reads every certificate in a PEM file.
   *
   * <p>No message names the file: {@code VAULT_CACERT} is declared secret, and whatever was pasted
   * into it (a token, by mistake) would be quoted.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  static List<X509Certificate> readPemFile(Path file) {
    List<X509Certificate> certificates = parse(file, "the file");
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the file holds no PEM certificate");
    }
    return certificates;
  }

  /**
   * Reads every certificate in the PEM files of a directory; files without one are skipped.
   *
   * <p>No message names the directory or a file in it, for the reason {@link #readPemFile} gives; a
   * file is named by its place in name order.
   *
   * @throws IllegalArgumentException if the directory cannot be read or holds no certificate
   */
  static List<X509Certificate> readPemDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("the directory does not exist or is not a directory");
    }
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the directory cannot be listed (" + e.getClass().getSimpleName() + ")");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    int index = 0;
    for (Path file : files) {
      index++;
      certificates.addAll(
          parse(file, "file " + index + " of " + files.size() + " in the directory (name order)"));
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("the directory holds no PEM certificate");
    }
    return certificates;
  }

  /**
   * Reads the certificates of one PEM file.
   *
   * @param what how messages name the file, never by its path
   */
  private static List<X509Certificate> parse(Path file, String what) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // Opening a FIFO with no writer blocks, and a device such as /dev/zero never ends.
      throw new IllegalArgumentException(
          what + " is not a regular file (a device, a pipe or a socket)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // One byte past the cap at most, whatever the file claims to be: it may grow meanwhile.
      bytes = in.readNBytes(MAX_PEM_BYTES + 1);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          what + " does not exist or cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_PEM_BYTES) {
      throw new IllegalArgumentException(what + " is too large to be a CA bundle");
    }
    String text = new String(bytes, StandardCharsets.US_ASCII);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    int from = 0;
    int n = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, from);
      if (begin < 0) {
        break;
      }
      int end = text.indexOf(END, begin);
      if (end < 0) {
        throw new IllegalArgumentException(
            "certificate " + (n + 1) + " in " + what + " has no END CERTIFICATE line");
      }
      n++;
      try {
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (IllegalArgumentException | CertificateException e) {
        throw new IllegalArgumentException(
            "certificate " + n + " in " + what + " cannot be parsed as X.509");
      }
      from = end + END.length();
    }
    return certificates;
  }

  /** Returns a TLS context that trusts exactly these certificates. */
  private static SSLContext sslContext(List<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        store.setCertificateEntry("vault-ca-" + i, anchors.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS with the given CA certificates", e);
    }
  }

  @Override
  public String toString() {
    return "VaultClientFactory[" + httpThreads + ", " + renewerThreads + "]";
  }
}
