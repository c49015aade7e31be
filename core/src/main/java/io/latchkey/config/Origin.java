package io.latchkey.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a configuration value came from: the kind of source and, where it helps an operator, a
 * detail such as the file and line. An origin never holds the value itself.
 *
 * @param kind the kind of source
 * @param detail where exactly, such as {@code .env line 12} or {@code /run/secrets/db_password};
 *     empty when the kind says it all
 * @since 0.1
 */
public record Origin(Kind kind, String detail) {

  /** The kinds of source a value can come from, as the masked report names them. */
  public enum Kind {
    /** The process environment. */
    ENV("env"),
    /** A {@code .env} file. */
    DOTENV(".env"),
    /** A file named by a {@code NAME_FILE} variable. */
    FILE("file"),
    /** A file in a secrets directory (one file per secret, as Docker and Kubernetes mount them). */
    SECRETS_DIR("secrets-dir"),
    /** A runtime override, as tests set them. */
    OVERRIDE("override"),
    /** A secret provider other than the environment, such as a secret manager. */
    PROVIDER("provider"),
    /** The setting's declared default. */
    DEFAULT("default"),
    /** Computed from other settings. */
    DERIVED("derived");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /**
     * Returns the short name the masked report prints, such as {@code env} or {@code .env}.
     *
     * @return the label
     */
    public String label() {
      return label;
    }
  }

  /**
   * Validates the components.
   *
   * @param kind the kind of source
   * @param detail where exactly; may be empty
   */
  public Origin {
    requireNonNull(kind, "kind");
    requireNonNull(detail, "detail");
  }

  /**
   * Returns an origin with no detail.
   *
   * @param kind the kind of source
   * @return the origin
   */
  public static Origin of(Kind kind) {
    return new Origin(kind, "");
  }

  /**
   * Returns an origin with a detail.
   *
   * @param kind the kind of source
   * @param detail where exactly, such as {@code .env line 12}
   * @return the origin
   */
  public static Origin of(Kind kind, String detail) {
    return new Origin(kind, detail);
  }

  /** Returns the label, followed by the detail in parentheses when there is one. */
  @Override
  public String toString() {
    return detail.isEmpty() ? kind.label() : kind.label() + " (" + detail + ")";
  }
}
