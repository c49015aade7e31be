package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import java.util.List;
import java.util.function.Supplier;

/**
 * The value Spring reads for a property written as a reference: not a {@code String}, so that
 * Spring neither resolves placeholders in a secret that happens to contain {@code ${…}} nor prints
 * it. The starter's converters turn it into a {@link Secret} (always), a {@code String} (where
 * allowed) or any other type; the conversion resolves the reference, so each read gets the current
 * version.
 *
 * <p>{@link #toString()} is what Spring prints when a failure analysis or a conversion error quotes
 * "the value": the reference, never the secret.
 */
final class ResolvedValue {
  /** Where the current thread records the properties it resolves, while it records them. */
  private static final ThreadLocal<List<ReferenceProperty>> READS = new ThreadLocal<>();

  private final ReferenceProperty property;
  private final LatchkeyRuntime runtime;

  ResolvedValue(ReferenceProperty property, LatchkeyRuntime runtime) {
    this.property = requireNonNull(property, "property");
    this.runtime = requireNonNull(runtime, "runtime");
  }

  ReferenceProperty property() {
    return property;
  }

  /**
   * Resolves the reference now: the cached value, or a load if there is none to serve. The first
   * read waits for the start-up load, and fails with its problems if it found any.
   */
  Secret secret() {
    List<ReferenceProperty> reads = READS.get();
    if (reads != null) {
      reads.add(property);
    }
    return runtime.resolve(property.ref());
  }

  /**
   * Runs {@code action} on this thread, adding to {@code reads} every property whose value it
   * resolves, however indirectly (a placeholder, a nested placeholder, a relaxed name): what tells
   * a caller that Spring's placeholder resolution put a secret into a plain text.
   */
  static <T> T recordingReads(List<ReferenceProperty> reads, Supplier<T> action) {
    List<ReferenceProperty> outer = READS.get();
    READS.set(reads);
    try {
      return action.get();
    } finally {
      if (outer == null) {
        READS.remove();
      } else {
        READS.set(outer);
      }
    }
  }

  /** Returns the secret's text, for a consumer allowed to hold it as a {@code String}. */
  String text() {
    runtime.readAsText(property.ref());
    Secret secret = secret();
    try {
      return secret.reveal();
    } finally {
      secret.wipe();
    }
  }

  /** Returns {@code ref+REFERENCE (secret)}: what Spring quotes as the value; never the secret. */
  @Override
  public String toString() {
    return "ref+" + property.ref() + " (secret)";
  }
}
