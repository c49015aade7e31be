package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * AWS Signature Version 4 in its header form, for the provider's own Secrets Manager and STS calls:
 * the canonical request, the string to sign, the key derived from the secret key for one day,
 * region and service, and the {@code Authorization} header that carries the signature.
 *
 * <p>The canonical forms follow the rules for every service but S3: the path is normalised (dot
 * segments and repeated slashes removed) and its already-encoded text encoded once more, and the
 * query is decoded and re-encoded so that any encoding the sender chose signs the same way.
 *
 * <p>Nothing is kept between calls: the signing key is derived anew for every request and its bytes
 * are zeroed once the signature is made, so no field ever holds a secret or a key made from one.
 */
final class RequestSigner {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /**
   * Headers the signer sets itself: a caller's copy would be sent twice or signed with a value
   * other than the one the signature is checked against.
   */
  private static final Set<String> RESERVED =
      Set.of("host", "x-amz-date", "x-amz-security-token", "authorization");

  private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(UTF_8);

  private RequestSigner() {}

  /**
   * Signs a request with AWS Signature Version 4 (header form, service and region scope).
   *
   * <p>Returns the headers to send, in order: the given ones (unchanged), then {@code X-Amz-Date},
   * then {@code X-Amz-Security-Token} when {@code keys.sessionToken() != null}, then {@code
   * Authorization}. Every header given and added is signed, plus {@code host} with the value {@code
   * host}. Given headers that share a name (in any case) are signed as one, their values joined
   * with commas in the order given, as a server that receives them reads them.
   *
   * @param method "POST" or "GET"
   * @param host the Host header's value exactly as sent (authority, such as {@code 127.0.0.1:4566}
   *     or {@code secretsmanager.eu-west-1.amazonaws.com})
   * @param path the request path as sent, such as {@code /}, already percent-encoded
   * @param query the raw query string without '?', or ""
   * @param headers name and value pairs ({@code String[2]}) such as Content-Type and X-Amz-Target
   * @param body the body bytes, possibly empty
   * @param keys the credentials
   * @param region the region, such as {@code eu-west-1}
   * @param service the signing name of the service, such as {@code secretsmanager} or {@code sts}
   * @param now the signing time
   * @return an unmodifiable list of new {@code String[2]} name and value pairs
   * @throws IllegalArgumentException if a header is not a name and a value, is one the signer sets
   *     itself, or holds a line break in its name or value; if the host, the access key id or the
   *     session token holds a line break; if the path does not start with '/'; or if the query
   *     holds a malformed percent-escape. The message names at most a header, never a value.
   */
  static List<String[]> sign(
      String method,
      String host,
      String path,
      String query,
      List<String[]> headers,
      byte[] body,
      AwsKeys keys,
      String region,
      String service,
      Instant now) {
    requireNonNull(method, "method");
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(query, "query");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    requireNonNull(keys, "keys");
    requireNonNull(region, "region");
    requireNonNull(service, "service");
    requireNonNull(now, "now");
    // Each travels in a header: a line break would end it early and start one nobody signed.
    if (hasLineBreak(host)) {
      throw new IllegalArgumentException("the host has a line break");
    }
    if (hasLineBreak(keys.accessKeyId())) {
      throw new IllegalArgumentException("the access key id has a line break");
    }
    if (keys.sessionToken() != null && hasLineBreak(keys.sessionToken())) {
      throw new IllegalArgumentException("the session token has a line break");
    }

    List<String[]> sent = new ArrayList<>(headers.size() + 3);
    for (String[] header : headers) {
      sent.add(checkedCopy(header));
    }
    String dateTime = amzDate(now);
    String date = dateTime.substring(0, 8);
    sent.add(new String[] {"X-Amz-Date", dateTime});
    if (keys.sessionToken() != null) {
      sent.add(new String[] {"X-Amz-Security-Token", keys.sessionToken()});
    }

    // Lower-cased names in a sorted map: headers that differ only in case become one, their values
    // in the order given, and the names come out in the order the canonical form asks for.
    Map<String, List<String>> signed = new TreeMap<>();
    signed.computeIfAbsent("host", name -> new ArrayList<>()).add(host);
    for (String[] header : sent) {
      signed
          .computeIfAbsent(header[0].toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(header[1]);
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (Map.Entry<String, List<String>> header : signed.entrySet()) {
      canonicalHeaders.append(header.getKey()).append(':');
      List<String> values = header.getValue();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          canonicalHeaders.append(',');
        }
        appendTrimmed(canonicalHeaders, values.get(i));
      }
      canonicalHeaders.append('\n');
    }
    String signedHeaders = String.join(";", signed.keySet());

    String canonicalRequest =
        method
            + '\n'
            + canonicalPath(path)
            + '\n'
            + canonicalQuery(query)
            + '\n'
            + canonicalHeaders
            + '\n'
            + signedHeaders
            + '\n'
            + hex(sha256(body));
    String scope = date + '/' + region + '/' + service + "/aws4_request";
    String stringToSign =
        ALGORITHM
            + '\n'
            + dateTime
            + '\n'
            + scope
            + '\n'
            + hex(sha256(canonicalRequest.getBytes(UTF_8)));

    byte[] signingKey = signingKey(keys.secretAccessKey(), date, region, service);
    String signature;
    try {
      signature = hex(hmac(signingKey, stringToSign));
    } finally {
      Arrays.fill(signingKey, (byte) 0);
    }
    sent.add(
        new String[] {
          "Authorization",
          ALGORITHM
              + " Credential="
              + keys.accessKeyId()
              + '/'
              + scope
              + ", SignedHeaders="
              + signedHeaders
              + ", Signature="
              + signature
        });
    return List.copyOf(sent);
  }

  private static String[] checkedCopy(String[] header) {
    if (header == null || header.length != 2 || header[0] == null || header[1] == null) {
      throw new IllegalArgumentException("a header must be a name and a value");
    }
    String name = header[0];
    if (name.isEmpty() || hasLineBreak(name)) {
      throw new IllegalArgumentException("a header name must be a single non-empty line");
    }
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the signer sets the " + name + " header itself");
    }
    // A line break in a value would start a header the signature does not cover.
    if (hasLineBreak(header[1])) {
      throw new IllegalArgumentException("the value of the " + name + " header has a line break");
    }
    return new String[] {name, header[1]};
  }

  private static boolean hasLineBreak(String text) {
    return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
  }

  /** Appends a header value without its outer blanks and with each inner run of blanks as one. */
  private static void appendTrimmed(StringBuilder out, String value) {
    boolean pendingBlank = false;
    boolean started = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\u000b' || c == '\f') {
        pendingBlank = started;
      } else {
        if (pendingBlank) {
          out.append(' ');
          pendingBlank = false;
        }
        out.append(c);
        started = true;
      }
    }
  }

  /**
   * The path with its dot segments and empty segments removed (RFC 3986 section 5.2.4, as SigV4
   * asks for every service but S3), then URI-encoded as a whole a second time.
   */
  private static String canonicalPath(String path) {
    if (path.isEmpty()) {
      return "/";
    }
    if (path.charAt(0) != '/') {
      throw new IllegalArgumentException("the path must start with '/'");
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    StringBuilder normalised = new StringBuilder();
    for (String segment : segments) {
      normalised.append('/').append(segment);
    }
    if (segments.isEmpty() || path.endsWith("/")) {
      normalised.append('/');
    }
    return encode(normalised.toString().getBytes(UTF_8), true);
  }

  /**
   * Each parameter's name and value decoded (form style: '+' is a space) and encoded the SigV4 way,
   * sorted by name then value. Parameters with an empty name are left out, as the AWS SDKs do.
   */
  private static String canonicalQuery(String query) {
    if (query.isEmpty()) {
      return "";
    }
    List<String[]> parameters = new ArrayList<>();
    for (String parameter : query.split("&", -1)) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String value = equals < 0 ? "" : parameter.substring(equals + 1);
      if (name.isEmpty()) {
        continue;
      }
      parameters.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
    }
    parameters.sort(
        Comparator.<String[], String>comparing(parameter -> parameter[0])
            .thenComparing(parameter -> parameter[1]));
    StringBuilder canonical = new StringBuilder();
    for (String[] parameter : parameters) {
      if (canonical.length() > 0) {
        canonical.append('&');
      }
      canonical.append(parameter[0]).append('=').append(parameter[1]);
    }
    return canonical.toString();
  }

  /** The bytes a query component stands for; bytes, so that no decoding to text can lose any. */
  private static byte[] decode(String component) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
    int literal = 0;
    int i = 0;
    while (i < component.length()) {
      char c = component.charAt(i);
      if (c == '+') {
        bytes.writeBytes(component.substring(literal, i).getBytes(UTF_8));
        bytes.write(' ');
        i++;
        literal = i;
      } else if (c == '%') {
        bytes.writeBytes(component.substring(literal, i).getBytes(UTF_8));
        int high = i + 1 < component.length() ? hexValue(component.charAt(i + 1)) : -1;
        int low = i + 2 < component.length() ? hexValue(component.charAt(i + 2)) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException("the query has a malformed percent-escape");
        }
        bytes.write(high << 4 | low);
        i += 3;
        literal = i;
      } else {
        i++;
      }
    }
    bytes.writeBytes(component.substring(literal).getBytes(UTF_8));
    return bytes.toByteArray();
  }

  /** The value of an ASCII hex digit, or -1 (Character.digit would take other scripts' digits). */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /**
   * RFC 3986 percent-encoding of all but the unreserved characters, upper-case hex: SigV4's, and
   * the query protocol's form values ({@link WebIdentityKeys}).
   */
  static String encode(byte[] bytes, boolean keepSlashes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 3);
    for (byte b : bytes) {
      if ((b >= 'A' && b <= 'Z')
          || (b >= 'a' && b <= 'z')
          || (b >= '0' && b <= '9')
          || b == '-'
          || b == '_'
          || b == '.'
          || b == '~'
          || (keepSlashes && b == '/')) {
        out.write(b);
      } else {
        out.write('%');
        out.write(HEX_DIGITS[(b >> 4) & 0xf]);
        out.write(HEX_DIGITS[b & 0xf]);
      }
    }
    return out.toString(UTF_8);
  }

  /** The key for one day, region and service, derived from the secret key. */
  private static byte[] signingKey(String secretKey, String date, String region, String service) {
    byte[] key = ("AWS4" + secretKey).getBytes(UTF_8);
    for (String part : new String[] {date, region, service, "aws4_request"}) {
      byte[] next = hmac(key, part);
      Arrays.fill(key, (byte) 0);
      key = next;
    }
    return key;
  }

  /**
   * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 digest rather than {@code javax.crypto.Mac}: the
   * first {@code Mac} of a fresh JVM reads the JCE policy files and loads every security provider
   * to find one, some 160 classes and tens of milliseconds at start-up, where a digest comes from
   * the first provider. {@code RequestSignerTest} checks the result against the SDK's signer.
   */
  static byte[] hmac(byte[] key, String data) {
    MessageDigest digest = sha256();
    // SHA-256's block is 64 bytes; a longer key is hashed first (RFC 2104, section 2).
    byte[] block = new byte[64];
    if (key.length > block.length) {
      byte[] hashed = digest.digest(key);
      System.arraycopy(hashed, 0, block, 0, hashed.length);
      Arrays.fill(hashed, (byte) 0);
    } else {
      System.arraycopy(key, 0, block, 0, key.length);
    }
    byte[] pad = new byte[64];
    for (int i = 0; i < 64; i++) {
      pad[i] = (byte) (block[i] ^ 0x36);
    }
    digest.update(pad);
    byte[] inner = digest.digest(data.getBytes(UTF_8));
    for (int i = 0; i < 64; i++) {
      pad[i] = (byte) (block[i] ^ 0x5c);
    }
    digest.update(pad);
    byte[] mac = digest.digest(inner);
    Arrays.fill(block, (byte) 0);
    Arrays.fill(pad, (byte) 0);
    Arrays.fill(inner, (byte) 0);
    return mac;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  /** The time as {@code yyyyMMdd'T'HHmmss'Z'} in UTC, without a formatter to load. */
  private static String amzDate(Instant now) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(16);
    digits(out, t.getYear(), 4);
    digits(out, t.getMonthValue(), 2);
    digits(out, t.getDayOfMonth(), 2);
    out.append('T');
    digits(out, t.getHour(), 2);
    digits(out, t.getMinute(), 2);
    digits(out, t.getSecond(), 2);
    return out.append('Z').toString();
  }

  private static void digits(StringBuilder out, int value, int width) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < width; i++) {
      out.append('0');
    }
    out.append(text);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
