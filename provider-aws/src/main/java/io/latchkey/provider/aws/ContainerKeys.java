package io.latchkey.provider.aws;

import io.latchkey.spi.Http1Client;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Temporary credentials from a container credentials endpoint: ECS's task role ({@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}), EKS Pod Identity, or any endpoint named by {@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI}, as the AWS SDK's {@code ContainerCredentialsProvider} reads
 * them.
 *
 * <p>The request is {@code GET} of the URI's path and query, with {@code Authorization: <token>}
 * when a token is given: the token itself, or else the token file, which is read again at each
 * fetch (EKS rotates it), as the SDK prefers {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} to {@code
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}. The token is stripped of surrounding white space; one
 * that still holds a line break or another character a header cannot carry is refused rather than
 * sent, and an empty token file is refused too (the SDK would send no header).
 *
 * <p>The answer is JSON: {@code AccessKeyId}, {@code SecretAccessKey}, and, as the SDK reads them,
 * an optional {@code Token} and an optional ISO-8601 {@code Expiration}. Credentials without an
 * expiry are asked for again every {@link RefreshingKeys#REFRESH_UNDATED}.
 *
 * <p>As the SDK does, plain {@code http} is taken only to a host that resolves to loopback
 * addresses alone or to ECS's and EKS's link-local endpoints ({@code 169.254.170.2}, {@code
 * 169.254.170.23}, {@code [fd00:ec2::23]}); anywhere else the token and the credentials would cross
 * a network unencrypted, so {@code https} is required.
 */
final class ContainerKeys extends RefreshingKeys {
  /** ECS's and EKS's container endpoints, which plain {@code http} may reach. */
  static final Set<String> LINK_LOCAL = Set.of("169.254.170.2", "169.254.170.23", "[fd00:ec2::23]");

  private final String target;
  private final Path tokenFile;
  private final String token;

  /**
   * @param uri the endpoint, with its path and query
   * @param authorizationTokenFile the file holding the authorization token, or null
   * @param authorizationToken the authorization token, or null; if given (and not blank), the file
   *     is not read
   * @param clock the clock expiry is read from
   * @param timeout the longest one fetch may take
   * @throws IllegalArgumentException if the URI is not {@code https} and its host is not one that
   *     {@code http} is taken to, or its path or query holds a character a request line cannot
   *     carry
   */
  ContainerKeys(
      URI uri,
      Path authorizationTokenFile,
      String authorizationToken,
      Clock clock,
      Duration timeout) {
    super("container endpoint", "the container credentials endpoint", origin(uri), clock, timeout);
    checkHost(uri);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String t = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) <= 0x20 || t.charAt(i) >= 0x7f) {
        throw new IllegalArgumentException(
            "the container endpoint's path holds a character a request cannot carry");
      }
    }
    this.target = t;
    boolean given = authorizationToken != null && !authorizationToken.isBlank();
    this.token = given ? authorizationToken : null;
    this.tokenFile = given ? null : authorizationTokenFile;
  }

  private static URI origin(URI uri) {
    if (uri.getScheme() == null || uri.getRawAuthority() == null) {
      throw new IllegalArgumentException("the container endpoint is not an absolute http(s) URL");
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
  }

  private static void checkHost(URI uri) {
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      return;
    }
    String host = uri.getHost();
    if (host == null) {
      throw new IllegalArgumentException("the container endpoint has no host");
    }
    if (LINK_LOCAL.contains(host)) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("the container endpoint's host cannot be resolved", e);
    }
    for (InetAddress address : addresses) {
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "the container endpoint is plain http to a host that is not loopback nor ECS's or"
                + " EKS's endpoint: use https");
      }
    }
  }

  @Override
  AwsKeys fetch(long deadline) throws KeysUnavailable, IOException {
    String authorization =
        token != null
            ? token.strip()
            : tokenFile != null
                ? readToken(tokenFile, "the container authorization token file")
                : null;
    List<String[]> headers;
    if (authorization == null) {
      headers = List.of();
    } else {
      checkHeader(authorization);
      headers = List.<String[]>of(new String[] {"Authorization", authorization});
    }
    Http1Client.Response response = exchange("GET", target, headers, null, true, deadline);
    if (response.status() != 200) {
      throw refused(response.status());
    }
    return jsonKeys(json(response), false);
  }

  private static void checkHeader(String value) throws KeysUnavailable {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n') {
        // It would end the header and start another of the token's choosing.
        throw new KeysUnavailable("the container authorization token holds a line break");
      }
      if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        throw new KeysUnavailable(
            "the container authorization token holds a character an HTTP header cannot carry");
      }
    }
  }
}
