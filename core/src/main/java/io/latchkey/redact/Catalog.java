package io.latchkey.redact;

import io.latchkey.SecretRef;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values a redactor knows, by name, and the automaton compiled from their forms: one immutable
 * snapshot. A rotation makes a new catalog; scans under way keep the one they started with.
 */
final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Redactor.class);

  /** How many values of one tracked reference stay redacted: the current one and 15 before it. */
  static final int KEPT_VALUES = 16;

  /** A value that does not change: from the configuration, or added by hand. */
  record Fixed(String name, String text) {
    @Override
    public String toString() {
      return "Fixed[" + name + "]";
    }
  }

  /** A reference's values, newest first, all redacted under its name. */
  record Tracked(String name, List<String> texts) {
    @Override
    public String toString() {
      return "Tracked[" + name + ", values=" + texts.size() + "]";
    }
  }

  private final List<Fixed> fixed;
  private final Map<SecretRef, Tracked> tracked;
  private final Redactor.Mask mask;
  private final int minLength;
  final Automaton automaton;
  // The forms the automaton finds and their labels, for the automata of lossy charsets.
  private final List<String> patterns;
  private final int[] patternLabels;
  private final ConcurrentMap<Charset, Automaton> lossy = new ConcurrentHashMap<>();
  final String[] names;
  final String[] masks;
  final int values;
  final int tooShort;

  private Catalog(
      List<Fixed> fixed,
      Map<SecretRef, Tracked> tracked,
      Redactor.Mask mask,
      int minLength,
      Set<String> warnFor) {
    this.fixed = fixed;
    this.tracked = tracked;
    this.mask = mask;
    this.minLength = minLength;
    List<String> names = new ArrayList<>();
    Map<String, Integer> labels = new LinkedHashMap<>();
    List<String> patterns = new ArrayList<>();
    List<Integer> patternLabels = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> skipped = new HashSet<>();
    int kept = 0;
    List<Fixed> all = new ArrayList<>(fixed);
    tracked.values().forEach(t -> t.texts().forEach(text -> all.add(new Fixed(t.name(), text))));
    for (Fixed value : all) {
      if (value.text().isEmpty()) {
        continue;
      }
      if (value.text().length() < minLength) {
        skipped.add(value.name());
        continue;
      }
      kept++;
      int label =
          labels.computeIfAbsent(
              value.name(),
              n -> {
                names.add(n);
                return names.size() - 1;
              });
      for (String form : Encodings.of(value.text())) {
        if (seen.add(form)) {
          patterns.add(form);
          patternLabels.add(label);
        }
      }
    }
    for (String name : skipped) {
      if (warnFor.contains(name)) {
        LOG.warn(
            "redaction: a value of {} is shorter than {} characters and is not redacted by value",
            name,
            minLength);
      }
    }
    this.values = kept;
    this.tooShort = skipped.size();
    this.patterns = List.copyOf(patterns);
    this.patternLabels = patternLabels.stream().mapToInt(Integer::intValue).toArray();
    this.automaton = Automaton.compile(this.patterns, this.patternLabels);
    this.names = names.toArray(new String[0]);
    this.masks = new String[names.size()];
    for (int i = 0; i < masks.length; i++) {
      masks[i] = mask == Redactor.Mask.NAME ? "[" + names.get(i) + "]" : "***";
    }
  }

  /** Compiles a catalog, and warns once for every name with a value too short to redact. */
  static Catalog of(
      List<Fixed> fixed, Map<SecretRef, Tracked> tracked, Redactor.Mask mask, int minLength) {
    Set<String> names = new HashSet<>();
    fixed.forEach(f -> names.add(f.name()));
    tracked.values().forEach(t -> names.add(t.name()));
    return new Catalog(List.copyOf(fixed), new LinkedHashMap<>(tracked), mask, minLength, names);
  }

  /**
   * The automaton for a text decoded from bytes that {@code charset} encoded: it also finds each
   * form as that encoding leaves it, with every character the charset cannot encode replaced (as
   * {@link String#getBytes(Charset)} replaces it, {@code ?} in US-ASCII). The catalog's own
   * automaton when the charset leaves every form as it is (UTF-8 for any value without a lone
   * surrogate). Compiled once per charset and catalog.
   */
  Automaton automaton(Charset charset) {
    return lossy.computeIfAbsent(charset, this::compileLossy);
  }

  private Automaton compileLossy(Charset charset) {
    if (!charset.canEncode()) {
      // No text was encoded with it (String.getBytes would throw), so no form was changed by it.
      return automaton;
    }
    List<String> all = new ArrayList<>(patterns);
    List<Integer> labels = new ArrayList<>();
    for (int label : patternLabels) {
      labels.add(label);
    }
    Set<String> seen = new HashSet<>(patterns);
    for (int p = 0; p < patterns.size(); p++) {
      String left = new String(patterns.get(p).getBytes(charset), charset);
      if (seen.add(left)) {
        all.add(left);
        labels.add(patternLabels[p]);
      }
    }
    return all.size() == patterns.size()
        ? automaton
        : Automaton.compile(all, labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Whether a reference is tracked. */
  boolean tracks(SecretRef ref) {
    return tracked.containsKey(ref);
  }

  /** The number of tracked references. */
  int trackedCount() {
    return tracked.size();
  }

  /**
   * A catalog in which {@code ref}'s current value is {@code text}, its earlier ones kept, or this
   * catalog if that is already its current value.
   */
  Catalog rotate(SecretRef ref, String text) {
    Tracked before = tracked.get(ref);
    if (before == null || (!before.texts().isEmpty() && before.texts().get(0).equals(text))) {
      return this;
    }
    List<String> texts = new ArrayList<>(before.texts().size() + 1);
    texts.add(text);
    for (String old : before.texts()) {
      if (texts.size() < KEPT_VALUES && !old.equals(text)) {
        texts.add(old);
      }
    }
    Map<SecretRef, Tracked> next = new LinkedHashMap<>(tracked);
    next.put(ref, new Tracked(before.name(), List.copyOf(texts)));
    // Only the new value can be newly too short: the others were warned about when they came.
    Set<String> warnFor =
        !text.isEmpty() && text.length() < minLength ? Set.of(before.name()) : Set.of();
    return new Catalog(fixed, next, mask, minLength, warnFor);
  }
}
