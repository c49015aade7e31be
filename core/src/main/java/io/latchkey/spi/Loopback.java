package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Tells whether a host is this machine's loopback interface, for providers that allow plain text
 * (HTTP, gRPC without TLS) only to a server on the same machine, such as an emulator or an agent.
 *
 * <p>No name is ever looked up: a DNS answer can change between the check and the connection, so
 * only {@code localhost} and literal addresses count. {@code 127.0.0.1.example.com} and {@code
 * localhost.example.com} are remote names, not loopback.
 *
 * @since 0.1
 */
public final class Loopback {
  private Loopback() {}

  /**
   * Tells whether a host is loopback: {@code localhost} in any case, an IPv4 literal in {@code
   * 127.0.0.0/8}, or the IPv6 literal {@code ::1}, with or without brackets.
   *
   * @param host a host as a URI or a {@code host:port} target writes it
   * @return true for a loopback host; false for any other host and for every name but {@code
   *     localhost}
   */
  public static boolean isLoopbackHost(String host) {
    requireNonNull(host, "host");
    String h =
        host.length() > 1 && host.startsWith("[") && host.endsWith("]")
            ? host.substring(1, host.length() - 1)
            : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!isAddressLiteral(h)) {
      return false;
    }
    try {
      // A literal address: InetAddress parses it without a look-up.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Tells whether a host (without brackets) is an address that {@link InetAddress#getByName} parses
   * without looking anything up: IPv4 in dotted form, each part at most 255 (the JDK takes {@code
   * 256.1.1.1} for a name, and looks it up), or IPv6.
   */
  static boolean isAddressLiteral(String h) {
    return !h.isEmpty() && (h.indexOf(':') >= 0 ? isIpv6Literal(h) : isIpv4Literal(h));
  }

  private static boolean isIpv4Literal(String h) {
    int parts = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        parts++;
        digits = 0;
        value = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
        value = value * 10 + (c - '0');
        if (value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return digits > 0 && parts == 3;
  }

  private static boolean isIpv6Literal(String h) {
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      // '.' for an embedded IPv4 part (::ffff:127.0.0.1), '%' for a zone.
      if (!hex && c != ':' && c != '.' && c != '%') {
        return false;
      }
    }
    return true;
  }
}
