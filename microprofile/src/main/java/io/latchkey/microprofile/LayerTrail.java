package io.latchkey.microprofile;

import io.smallrye.config.ConfigValue;

/**
 * Tells {@link ReferenceInterceptor} whether the value a read found came from a {@link
 * LatchkeyConfigSource}, and from a layer that is served verbatim.
 *
 * <p>A MicroProfile source returns a bare string and SmallRye's {@link ConfigValue} carries only
 * the source's name, which is the same for every layer; so the source notes the layer on the
 * reading thread, and the interceptor matches the note to the value it got by the identity of the
 * string. A note is taken only while an interceptor listens, so that where SmallRye is not the
 * implementation (Helidon) nothing is kept, and the note is dropped when the read ends, so that no
 * thread holds a secret.
 */
final class LayerTrail {
  private static final ThreadLocal<LayerTrail> LISTENING = new ThreadLocal<>();

  /** The prefix of every {@link LatchkeyConfigSource}'s name. */
  private static final String SOURCE_NAME_PREFIX = LatchkeyConfigSource.NAME + "[";

  /** The listener this one replaced: a source may itself read a config, re-entering the chain. */
  private final LayerTrail previous;

  private String text;
  private boolean verbatim;

  private LayerTrail(LayerTrail previous) {
    this.previous = previous;
  }

  /** Starts taking notes on this thread; the caller ends with {@link #stop()} in a finally. */
  static LayerTrail listen() {
    LayerTrail trail = new LayerTrail(LISTENING.get());
    LISTENING.set(trail);
    return trail;
  }

  /** Called by the source for each value it serves; the last one served is the one read. */
  static void note(String text, boolean verbatim) {
    LayerTrail trail = LISTENING.get();
    if (trail != null) {
      trail.text = text;
      trail.verbatim = verbatim;
    }
  }

  /** Stops taking notes and restores the listener this one replaced. */
  void stop() {
    if (previous == null) {
      LISTENING.remove();
    } else {
      LISTENING.set(previous);
    }
  }

  /** Tells whether the value came from a {@link LatchkeyConfigSource}, from any layer. */
  boolean servedByLatchkey(ConfigValue value) {
    String source = value.getConfigSourceName();
    return source != null && source.startsWith(SOURCE_NAME_PREFIX);
  }

  /**
   * Tells whether the value came from a layer of a {@link LatchkeyConfigSource} that is served as
   * stored. A Latchkey value whose layer cannot be told (an interceptor below copied the string) is
   * taken for a verbatim one: never expanding a secret is the safe side.
   */
  boolean servedVerbatim(ConfigValue value) {
    if (!servedByLatchkey(value)) {
      return false;
    }
    // Identity, not equality: the note must be of this very string, not of an equal one that
    // another lookup of the same read served.
    @SuppressWarnings("ReferenceEquality")
    boolean noted = text != null && text == value.getRawValue();
    return !noted || verbatim;
  }
}
