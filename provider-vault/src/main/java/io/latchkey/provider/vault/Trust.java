package io.latchkey.provider.vault;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust anchors from PEM files ({@code VAULT_CACERT}, {@code VAULT_CAPATH}) and an {@link
 * SSLContext} that trusts exactly them: not the system's CAs as well, since an operator who names
 * Vault's CA means that CA.
 */
final class Trust {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  /** CA bundles are small; a larger file is not one. */
  private static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

  private Trust() {}

  /**
   * Reads every certificate in a PEM file.
   *
   * @throws IllegalArgumentException if the file cannot be read or holds no certificate
   */
  static List<X509Certificate> readFile(Path file) {
    List<X509Certificate> certificates = parse(file);
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no PEM certificate");
    }
    return certificates;
  }

  /**
   * Reads every certificate in the PEM files of a directory; files without one are skipped.
   *
   * @throws IllegalArgumentException if the directory cannot be read or holds no certificate
   */
  static List<X509Certificate> readDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(directory + " is not a directory");
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
          "cannot list " + directory + " (" + e.getClass().getSimpleName() + ")");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Path file : files) {
      certificates.addAll(parse(file));
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(directory + " holds no PEM certificate");
    }
    return certificates;
  }

  private static List<X509Certificate> parse(Path file) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(file + " is too large to be a CA bundle");
      }
      text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
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
            file + ": certificate " + (n + 1) + " has no END CERTIFICATE line");
      }
      n++;
      try {
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      } catch (IllegalArgumentException | CertificateException e) {
        throw new IllegalArgumentException(
            file + ": certificate " + n + " cannot be parsed as X.509");
      }
      from = end + END.length();
    }
    return certificates;
  }

  /** Returns a TLS context that trusts exactly these certificates. */
  static SSLContext context(List<X509Certificate> anchors) {
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
}
