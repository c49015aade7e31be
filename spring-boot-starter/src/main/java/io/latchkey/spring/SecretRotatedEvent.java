package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.SecretRef;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the resolver loaded a new version of a reference the application uses: a rotation
 * reached the application. Carries names and version ids, never a value.
 *
 * <p>It is published on the resolver's thread that loaded the new version; keep listeners short.
 * Read the new value where it is used ({@link SecretHolder#get()}, or a refresh of the beans that
 * hold it, see {@code docs/spring-boot.md}, "Rotation").
 *
 * <pre>{@code
 * @EventListener
 * void onRotation(SecretRotatedEvent event) {
 *   if (event.properties().contains("partner.api-token")) {
 *     client.reconnect();
 *   }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class SecretRotatedEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final SecretRef ref;
  private final List<String> properties;
  private final String previousVersion;
  private final String currentVersion;

  /**
   * Creates the event.
   *
   * @param source the application's {@link LatchkeySecrets}
   * @param ref the reference whose value changed
   * @param properties the properties whose value is this reference, possibly none
   * @param previousVersion the previous version's id, if the provider gave one
   * @param currentVersion the new version's id, if the provider gave one
   */
  public SecretRotatedEvent(
      LatchkeySecrets source,
      SecretRef ref,
      List<String> properties,
      Optional<String> previousVersion,
      Optional<String> currentVersion) {
    super(source);
    this.ref = requireNonNull(ref, "ref");
    this.properties = List.copyOf(properties);
    this.previousVersion = requireNonNull(previousVersion, "previousVersion").orElse(null);
    this.currentVersion = requireNonNull(currentVersion, "currentVersion").orElse(null);
  }

  /**
   * Returns the reference whose value changed.
   *
   * @return the reference
   */
  public SecretRef ref() {
    return ref;
  }

  /**
   * Returns the properties whose value is this reference, such as {@code
   * spring.datasource.password}.
   *
   * @return the property names, possibly empty (a reference resolved through {@link
   *     LatchkeySecrets#holder(SecretRef)} only)
   */
  public List<String> properties() {
    return properties;
  }

  /**
   * Returns the previous version's id.
   *
   * @return the id, or empty if the provider gave none
   */
  public Optional<String> previousVersion() {
    return Optional.ofNullable(previousVersion);
  }

  /**
   * Returns the new version's id.
   *
   * @return the id, or empty if the provider gave none
   */
  public Optional<String> currentVersion() {
    return Optional.ofNullable(currentVersion);
  }

  /** Returns the reference, the properties and the versions; never a value. */
  @Override
  public String toString() {
    return "SecretRotatedEvent[ref="
        + ref
        + ", properties="
        + properties
        + ", version "
        + previousVersion().orElse("?")
        + " -> "
        + currentVersion().orElse("?")
        + "]";
  }
}
