package io.latchkey.provider.gcp;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference translated to a Secret Manager resource name: {@code
 * projects/P[/locations/L]/secrets/S/versions/V}.
 *
 * <p>The path of a reference is a full secret or version name, or a bare secret id in the default
 * project; its {@code @version}, if any, must agree with a version in the path. A version is {@code
 * latest}, a version number, or an alias, which Secret Manager resolves itself.
 */
final class SecretName {
  /** The version Secret Manager resolves to the most recently created one. */
  static final String LATEST = "latest";

  private static final Pattern FULL =
      Pattern.compile(
          "projects/([^/]+)(?:/locations/([^/]+))?/secrets/([^/]+)(?:/versions/([^/]+))?");
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  // Project ids (my-project), domain-scoped ids (example.com:my-project) and project numbers.
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]{0,99}");
  private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,17}");
  // A project number is all digits; a project id begins with a letter.
  private static final Pattern PROJECT_NUMBER = Pattern.compile("[0-9]+");
  // Secret Manager's alias rule: a letter, then letters, digits, '-' and '_', 63 at most.
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

  /** What kind of version a name asks for. */
  enum Kind {
    LATEST,
    NUMBER,
    ALIAS
  }

  private final String project;
  private final String location;
  private final String secret;
  private final String version;
  private final Kind kind;

  private SecretName(String project, String location, String secret, String version, Kind kind) {
    this.project = project;
    this.location = location;
    this.secret = secret;
    this.version = version;
    this.kind = kind;
  }

  /**
   * Translates a reference.
   *
   * @param ref the reference
   * @param defaultProject the project of bare secret ids, or {@code null} if none is configured
   * @return the name
   * @throws ProviderException of kind {@link ProviderException.Kind#OTHER} if the reference does
   *     not name a secret (no retry can help)
   */
  static SecretName of(SecretRef ref, String defaultProject) {
    String path = ref.path();
    String project;
    String location = null;
    String secret;
    String pathVersion = null;
    if (path.indexOf('/') < 0) {
      secret = path;
      if (defaultProject == null) {
        throw invalid(
            ref,
            "a bare secret id needs a default project: set GOOGLE_CLOUD_PROJECT, or write"
                + " projects/PROJECT/secrets/"
                + (SECRET_ID.matcher(secret).matches() ? secret : "SECRET"));
      }
      project = defaultProject;
    } else {
      Matcher m = FULL.matcher(path);
      if (!m.matches()) {
        throw invalid(
            ref,
            "the path is neither a secret id nor projects/P/secrets/S[/versions/V] (optionally"
                + " with /locations/L after the project)");
      }
      project = m.group(1);
      location = m.group(2);
      secret = m.group(3);
      pathVersion = m.group(4);
      if (!PROJECT.matcher(project).matches()) {
        throw invalid(ref, "the project is not a project id or number");
      }
      if (location != null && !LOCATION.matcher(location).matches()) {
        throw invalid(ref, "the location is not a location id such as us-central1");
      }
    }
    if (!SECRET_ID.matcher(secret).matches()) {
      throw invalid(
          ref,
          "the secret id must be 1 to 255 letters, digits, '-' or '_' (Secret Manager's rule)");
    }
    Optional<String> atVersion = ref.version();
    if (pathVersion != null && atVersion.isPresent() && !pathVersion.equals(atVersion.get())) {
      throw invalid(
          ref,
          "the path asks for version '"
              + pathVersion
              + "' and '@' for version '"
              + atVersion.get()
              + "'; give the version once");
    }
    String version = pathVersion != null ? pathVersion : atVersion.orElse(LATEST);
    Kind kind;
    if (version.equals(LATEST)) {
      kind = Kind.LATEST;
    } else if (NUMBER.matcher(version).matches()) {
      kind = Kind.NUMBER;
    } else if (ALIAS.matcher(version).matches()) {
      kind = Kind.ALIAS;
    } else {
      throw invalid(
          ref,
          "the version must be 'latest', a version number (1, 2, ...) or an alias (a letter, then"
              + " letters, digits, '-' or '_')");
    }
    return new SecretName(project, location, secret, version, kind);
  }

  private static ProviderException invalid(SecretRef ref, String reason) {
    return new ProviderException(ref, ProviderException.Kind.OTHER, "invalid reference: " + reason);
  }

  /** Returns {@code projects/P[/locations/L]/secrets/S/versions/V}, the name the API takes. */
  String versionName() {
    return secretName() + "/versions/" + version;
  }

  /** Returns {@code projects/P[/locations/L]/secrets/S}. */
  String secretName() {
    return "projects/"
        + project
        + (location == null ? "" : "/locations/" + location)
        + "/secrets/"
        + secret;
  }

  String version() {
    return version;
  }

  Kind kind() {
    return kind;
  }

  /**
   * Reads the version number from a resolved version name the service returned, checking that it
   * names this secret: the same secret id and location, and the same project where the two names
   * can be compared.
   *
   * @param resolved the {@code name} field of the response
   * @return the version number, or empty if the name is not a numbered version of this secret
   */
  Optional<String> versionNumberIn(String resolved) {
    Matcher m = FULL.matcher(resolved);
    if (!m.matches()
        || !sameProject(m.group(1))
        || !secret.equals(m.group(3))
        || !Objects.equals(location, m.group(2))
        || m.group(4) == null
        || !NUMBER.matcher(m.group(4)).matches()) {
      return Optional.empty();
    }
    if (kind == Kind.NUMBER && !version.equals(m.group(4))) {
      return Optional.empty();
    }
    return Optional.of(m.group(4));
  }

  /**
   * Whether an answer's project may be this name's. Secret Manager answers with the project's
   * number whatever the request named it by, and nothing here maps an id to its number, so a number
   * and an id cannot be compared and are accepted; two numbers, or two ids, must be equal.
   */
  private boolean sameProject(String answered) {
    boolean askedByNumber = PROJECT_NUMBER.matcher(project).matches();
    boolean answeredByNumber = PROJECT_NUMBER.matcher(answered).matches();
    return askedByNumber != answeredByNumber || project.equals(answered);
  }

  @Override
  public String toString() {
    return versionName();
  }
}
