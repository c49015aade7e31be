package io.latchkey.provider.aws.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.Headers;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a request, as the service does: the {@code Authorization}
 * header's form, the credential scope, the access key, and the signature itself, recomputed from
 * the canonical request with the known secret key.
 */
final class SigV4 {
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,"
              + "\\s*SignedHeaders=([a-z0-9;\\-]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  /** Why a request was rejected: the service's error code and message. */
  record Rejection(String code, String message) {}

  private final String region;
  private final String service;
  private final Map<String, String> secretKeys;
  private final Map<String, String> sessionTokens;

  SigV4(
      String region,
      String service,
      Map<String, String> secretKeys,
      Map<String, String> sessionTokens) {
    this.region = region;
    this.service = service;
    this.secretKeys = Map.copyOf(secretKeys);
    this.sessionTokens = Map.copyOf(sessionTokens);
  }

  /** Returns why the request must be rejected, or empty if its signature is valid. */
  Optional<Rejection> verify(
      String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null) {
      return reject(
          "MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization.strip());
    if (!m.matches()) {
      return reject(
          "IncompleteSignatureException",
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
    }
    String accessKey = m.group(1);
    String date = m.group(2);
    String scopeRegion = m.group(3);
    String scopeService = m.group(4);
    List<String> signedHeaders = Arrays.asList(m.group(5).split(";"));
    String signature = m.group(6);
    String secretKey = secretKeys.get(accessKey);
    if (secretKey == null) {
      return reject(
          "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String expectedToken = sessionTokens.get(accessKey);
    String token = headers.getFirst("X-Amz-Security-Token");
    if (expectedToken != null ? !expectedToken.equals(token) : token != null) {
      return reject(
          "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!scopeRegion.equals(region) || !scopeService.equals(service)) {
      return reject(
          "InvalidSignatureException",
          "Credential should be scoped to a valid region and to service '" + service + "'.");
    }
    String amzDate = headers.getFirst("X-Amz-Date");
    if (amzDate == null || !amzDate.startsWith(date)) {
      return reject(
          "IncompleteSignatureException", "Date in Credential scope does not match X-Amz-Date");
    }
    try {
      LocalDateTime.parse(amzDate, AMZ_DATE);
    } catch (DateTimeParseException e) {
      return reject("IncompleteSignatureException", "X-Amz-Date is not a valid date");
    }
    if (!signedHeaders.contains("host")
        || (headers.containsKey("X-Amz-Security-Token")
            && !signedHeaders.contains("x-amz-security-token"))) {
      return reject("InvalidSignatureException", "Required headers are not signed");
    }
    String payloadHash = headers.getFirst("X-Amz-Content-Sha256");
    String bodyHash = hex(sha256(body));
    if (payloadHash == null) {
      payloadHash = bodyHash;
    } else if (!payloadHash.equals("UNSIGNED-PAYLOAD") && !payloadHash.equals(bodyHash)) {
      return reject(
          "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match");
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n');
    canonical.append(rawPath.isEmpty() ? "/" : rawPath).append('\n');
    canonical.append(canonicalQuery(rawQuery)).append('\n');
    for (String name : signedHeaders) {
      List<String> values = headers.get(name);
      if (values == null) {
        return reject("InvalidSignatureException", "A signed header is missing");
      }
      List<String> trimmed = new ArrayList<>();
      for (String v : values) {
        trimmed.add(v.strip().replaceAll("\\s+", " "));
      }
      canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    canonical.append('\n').append(String.join(";", signedHeaders)).append('\n');
    canonical.append(payloadHash);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.toString().getBytes(UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(UTF_8), signature.getBytes(UTF_8))) {
      return reject(
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method.");
    }
    return Optional.empty();
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    List<String> parts = new ArrayList<>();
    params.forEach(
        (name, values) -> values.stream().sorted().forEach(v -> parts.add(name + "=" + v)));
    return String.join("&", parts);
  }

  private static Optional<Rejection> reject(String code, String message) {
    return Optional.of(new Rejection(code, message));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
