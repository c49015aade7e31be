package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.latchkey.spi.Http1Client;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Temporary credentials for a role assumed with a web identity token (EKS's IAM roles for service
 * accounts, or any OIDC token in a file): STS {@code AssumeRoleWithWebIdentity}, as the AWS SDK's
 * {@code StsWebIdentityTokenFileCredentialsProvider} calls it.
 *
 * <p>The call is unsigned ({@code POST /}, {@code Content-Type: application/x-www-form-urlencoded;
 * charset=utf-8}, a form body of {@code Action}, {@code Version=2011-06-15}, {@code RoleArn},
 * {@code RoleSessionName} and {@code WebIdentityToken}, percent-encoded as RFC 3986 has it): the
 * token is the credential. The token file is read again at each fetch, because the cluster rotates
 * it; unlike the SDK, surrounding white space (a trailing line break) is removed.
 *
 * <p>The answer is XML. Rather than load an XML parser (a large part of a cold start), a small one
 * reads it: UTF-8, elements, attributes, text, the five predefined entities and character
 * references; a DOCTYPE, any other markup declaration, a comment, CDATA or processing instruction
 * past the XML declaration, and any other entity are refused, so no entity is ever expanded and
 * nothing outside the answer is ever read. The four members of {@code Credentials} must each appear
 * once and hold only text. An error answer's {@code Code} is quoted only if it looks like an
 * identifier.
 */
final class WebIdentityKeys extends RefreshingKeys {
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  /**
   * STS error codes that stand for a condition that passes (a busy service, an identity provider
   * that did not answer), reported as an {@link IOException} like a server error; the SDK retries
   * the identity provider's.
   */
  private static final Set<String> TRANSIENT =
      Set.of(
          "IDPCommunicationError",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "ServiceUnavailable",
          "InternalFailure");

  private static final List<String[]> HEADERS =
      List.<String[]>of(
          new String[] {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});

  private final String region;
  private final Path tokenFile;
  private final String roleArn;
  private final String sessionName;

  /**
   * @param stsEndpoint the STS endpoint, such as {@code https://sts.eu-west-1.amazonaws.com}
   * @param region the region the endpoint serves, for {@link #toString()}
   * @param tokenFile the file holding the web identity token
   * @param roleArn the role to assume
   * @param sessionName the role session's name, or null for {@code latchkey-} and the time in
   *     milliseconds, as the SDK names it {@code aws-sdk-java-} and the time
   * @param clock the clock expiry is read from
   * @param timeout the longest one fetch may take
   * @throws IllegalArgumentException if the role is blank or the session name is not 2 to 64 of the
   *     characters STS takes
   */
  WebIdentityKeys(
      URI stsEndpoint,
      String region,
      Path tokenFile,
      String roleArn,
      String sessionName,
      Clock clock,
      Duration timeout) {
    super("web identity", "STS", stsEndpoint, clock, timeout);
    this.region = requireNonNull(region, "region");
    this.tokenFile = requireNonNull(tokenFile, "tokenFile");
    this.roleArn = requireNonNull(roleArn, "roleArn");
    if (roleArn.isBlank()) {
      throw new IllegalArgumentException("the role ARN is blank");
    }
    String name = sessionName == null ? "latchkey-" + clock.millis() : sessionName;
    if (!SESSION_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "the role session name is not 2 to 64 letters, digits or the characters _+=,.@-");
    }
    this.sessionName = name;
  }

  @Override
  AwsKeys fetch(long deadline) throws KeysUnavailable, IOException {
    String token = readToken(tokenFile, "the web identity token file");
    byte[] body =
        ("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn="
                + RequestSigner.encode(roleArn.getBytes(UTF_8), false)
                + "&RoleSessionName="
                + RequestSigner.encode(sessionName.getBytes(UTF_8), false)
                + "&WebIdentityToken="
                + RequestSigner.encode(token.getBytes(UTF_8), false))
            .getBytes(UTF_8);
    Http1Client.Response response;
    try {
      response = exchange("POST", "/", HEADERS, body, false, deadline);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
    if (response.status() == 200) {
      return credentials(response.body());
    }
    String code = errorCode(response.body());
    String detail =
        " AssumeRoleWithWebIdentity ("
            + (code == null ? "no error code" : code)
            + ", HTTP "
            + response.status()
            + ")";
    if (response.status() >= 500 || (code != null && TRANSIENT.contains(code))) {
      throw new IOException("STS could not answer" + detail);
    }
    throw new KeysUnavailable("STS refused" + detail);
  }

  private AwsKeys credentials(byte[] body) throws KeysUnavailable {
    try {
      Element root = Element.parse(text(body));
      if (!root.name.equals("AssumeRoleWithWebIdentityResponse")) {
        throw new IllegalArgumentException(
            "its root element is not AssumeRoleWithWebIdentityResponse");
      }
      Element credentials = root.only("AssumeRoleWithWebIdentityResult").only("Credentials");
      return validKeys(
          credentials.only("AccessKeyId").text(),
          credentials.only("SecretAccessKey").text(),
          credentials.only("SessionToken").text(),
          expiration(credentials.only("Expiration").text(), "Expiration"));
    } catch (IllegalArgumentException e) {
      throw new KeysUnavailable(
          "STS's answer to AssumeRoleWithWebIdentity is malformed: " + e.getMessage());
    }
  }

  /** The code of an {@code ErrorResponse}, if it has one that looks like an identifier. */
  private static String errorCode(byte[] body) {
    try {
      Element root = Element.parse(text(body));
      if (!root.name.equals("ErrorResponse")) {
        return null;
      }
      return AwsErrors.sanitize(root.only("Error").only("Code").text());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String text(byte[] body) {
    try {
      return UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the answer is not UTF-8 text");
    }
  }

  @Override
  public String toString() {
    return "WebIdentityKeys[STS in " + region + "]";
  }

  /**
   * An element of a small, strictly read XML document: its name, its child elements and its text.
   * Messages name elements and positions, never text.
   */
  static final class Element {
    /** Deeper nesting is refused; STS's answers are four levels deep. */
    static final int MAX_DEPTH = 32;

    final String name;
    private final List<Element> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    private Element(String name) {
      this.name = name;
    }

    /**
     * The one child named {@code child}.
     *
     * @throws IllegalArgumentException if there is none or more than one
     */
    Element only(String child) {
      Element found = null;
      for (Element e : children) {
        if (e.name.equals(child)) {
          if (found != null) {
            throw new IllegalArgumentException(child + " appears twice in " + name);
          }
          found = e;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException(child + " is missing from " + name);
      }
      return found;
    }

    /**
     * The text of an element that holds only text.
     *
     * @throws IllegalArgumentException if it holds elements
     */
    String text() {
      if (!children.isEmpty()) {
        throw new IllegalArgumentException(name + " holds elements, not text");
      }
      return text.toString();
    }

    /**
     * Reads a document: an optional XML declaration, then one element, with white space around.
     *
     * @throws IllegalArgumentException if it is not well-formed, or holds a DOCTYPE, another markup
     *     declaration, a comment, CDATA, a processing instruction or an entity other than the
     *     predefined ones
     */
    static Element parse(String s) {
      return new Reader(s).document();
    }
  }

  /** The reader behind {@link Element#parse}. */
  private static final class Reader {
    private final String s;
    private int pos;

    Reader(String s) {
      this.s = s;
    }

    Element document() {
      if (s.startsWith("\ufeff")) {
        pos = 1;
      }
      if (s.startsWith("<?xml", pos) && pos + 5 < s.length() && isSpace(s.charAt(pos + 5))) {
        int end = s.indexOf("?>", pos);
        if (end < 0 || s.substring(pos, end).indexOf('<', 1) >= 0) {
          throw error("an unterminated XML declaration");
        }
        pos = end + 2;
      }
      skipSpace();
      Element root = null;
      Deque<Element> open = new ArrayDeque<>();
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '<') {
          if (pos + 1 >= s.length()) {
            throw error("a lone <");
          }
          char next = s.charAt(pos + 1);
          if (next == '!') {
            // A DOCTYPE (and the entities it could declare), a comment or CDATA: none is in an
            // STS answer, and refusing them all leaves no entity to expand.
            throw error("a DOCTYPE or another markup declaration");
          }
          if (next == '?') {
            throw error("a processing instruction");
          }
          if (next == '/') {
            pos += 2;
            String name = name();
            skipSpace();
            expect('>');
            Element closed = open.poll();
            if (closed == null || !closed.name.equals(name)) {
              throw error("an end tag that matches no start tag");
            }
            if (open.isEmpty()) {
              skipSpace();
              if (pos < s.length()) {
                throw error("content after the root element");
              }
              return root;
            }
            continue;
          }
          if (root != null && open.isEmpty()) {
            throw error("a second root element");
          }
          pos++;
          Element element = new Element(name());
          boolean empty = attributes();
          if (open.isEmpty()) {
            root = element;
          } else {
            open.peek().children.add(element);
          }
          if (empty) {
            if (open.isEmpty()) {
              skipSpace();
              if (pos < s.length()) {
                throw error("content after the root element");
              }
              return root;
            }
          } else {
            if (open.size() >= Element.MAX_DEPTH) {
              throw error("elements nested deeper than " + Element.MAX_DEPTH);
            }
            open.push(element);
          }
        } else {
          if (open.isEmpty()) {
            throw error("text outside the root element");
          }
          int end = s.indexOf('<', pos);
          if (end < 0) {
            throw error("an unterminated element");
          }
          open.peek().text.append(decode(pos, end));
          pos = end;
        }
      }
      throw error(root == null ? "no element" : "an unterminated element");
    }

    /** Reads attributes up to the tag's end; returns whether the tag is empty ({@code />}). */
    private boolean attributes() {
      while (true) {
        boolean spaced = skipSpace();
        if (pos >= s.length()) {
          throw error("an unterminated tag");
        }
        char c = s.charAt(pos);
        if (c == '>') {
          pos++;
          return false;
        }
        if (c == '/') {
          pos++;
          expect('>');
          return true;
        }
        if (!spaced) {
          throw error("an attribute not preceded by white space");
        }
        name();
        skipSpace();
        expect('=');
        skipSpace();
        if (pos >= s.length() || (s.charAt(pos) != '"' && s.charAt(pos) != '\'')) {
          throw error("an unquoted attribute value");
        }
        char quote = s.charAt(pos++);
        int end = s.indexOf(quote, pos);
        if (end < 0) {
          throw error("an unterminated attribute value");
        }
        if (s.substring(pos, end).indexOf('<') >= 0) {
          throw error("a < in an attribute value");
        }
        // Read for its well-formedness (its entities) only: no attribute is used.
        decode(pos, end);
        pos = end + 1;
      }
    }

    private String name() {
      int start = pos;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        boolean ok =
            (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || c == '_'
                || c == ':'
                || (pos > start && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
        if (!ok) {
          break;
        }
        pos++;
      }
      if (pos == start) {
        throw error("a malformed name");
      }
      return s.substring(start, pos);
    }

    /** Decodes text between two positions: entities and character references resolved. */
    private String decode(int from, int to) {
      StringBuilder out = new StringBuilder(to - from);
      int i = from;
      while (i < to) {
        char c = s.charAt(i);
        if (c == '&') {
          int semi = s.indexOf(';', i);
          if (semi < 0 || semi >= to || semi - i > 12) {
            throw error("a malformed entity reference");
          }
          String ref = s.substring(i + 1, semi);
          switch (ref) {
            case "amp":
              out.append('&');
              break;
            case "lt":
              out.append('<');
              break;
            case "gt":
              out.append('>');
              break;
            case "quot":
              out.append('"');
              break;
            case "apos":
              out.append('\'');
              break;
            default:
              out.appendCodePoint(characterReference(ref));
          }
          i = semi + 1;
        } else {
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            throw error("a control character");
          }
          out.append(c);
          i++;
        }
      }
      return out.toString();
    }

    private int characterReference(String ref) {
      int radix;
      String digits;
      if (ref.startsWith("#x")) {
        radix = 16;
        digits = ref.substring(2);
      } else if (ref.startsWith("#")) {
        radix = 10;
        digits = ref.substring(1);
      } else {
        throw error("an entity other than the predefined ones");
      }
      if (digits.isEmpty() || digits.length() > 7) {
        throw error("a malformed character reference");
      }
      int cp = 0;
      for (int k = 0; k < digits.length(); k++) {
        int d = Character.digit(digits.charAt(k), radix);
        if (d < 0) {
          throw error("a malformed character reference");
        }
        cp = cp * radix + d;
      }
      // XML 1.0's Char production: no other control character, no surrogate, no FFFE/FFFF.
      boolean ok =
          cp == 0x9
              || cp == 0xA
              || cp == 0xD
              || (cp >= 0x20 && cp <= 0xD7FF)
              || (cp >= 0xE000 && cp <= 0xFFFD)
              || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!ok) {
        throw error("a character reference to a character XML does not allow");
      }
      return cp;
    }

    private boolean skipSpace() {
      int start = pos;
      while (pos < s.length() && isSpace(s.charAt(pos))) {
        pos++;
      }
      return pos > start;
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("a malformed tag");
      }
      pos++;
    }

    // No position: the answer carries credentials, and a position would tell how long a part of
    // it is.
    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("the XML holds " + what);
    }
  }
}
