package io.latchkey.redact;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.KeyList;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.internal.UrlMasking;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads from a loaded {@link Config} every value to redact: the value of each setting that came
 * from a secret (a secret setting, a value a secret reference resolved to, a value derived from
 * either), every key of a key list, and every credential the report masks in the other values.
 */
final class ConfigValues {
  private final Config config;
  private final Map<String, Boolean> fromSecret = new HashMap<>();

  private ConfigValues(Config config) {
    this.config = config;
  }

  /**
   * Adds a configuration's values to redact to {@code fixed}, and, when {@code tracked} is not
   * null, each value a secret reference resolved to there instead, under its reference.
   */
  static void collect(
      Config config, List<Catalog.Fixed> fixed, Map<SecretRef, Catalog.Tracked> tracked) {
    ConfigValues values = new ConfigValues(config);
    for (Setting<?> setting : config.schema().settings()) {
      values.collect(setting, fixed, tracked);
    }
  }

  private void collect(
      Setting<?> setting, List<Catalog.Fixed> fixed, Map<SecretRef, Catalog.Tracked> tracked) {
    Optional<?> value = config.find(setting);
    if (value.isEmpty()) {
      return;
    }
    String name = setting.name();
    Object v = value.get();
    if (isFromSecret(setting)) {
      SecretRef ref = tracked == null ? null : reference(name);
      if (ref != null && (v instanceof Secret || v instanceof String || v instanceof URI)) {
        texts(v)
            .forEach(text -> tracked.putIfAbsent(ref, new Catalog.Tracked(name, List.of(text))));
      } else if (v instanceof KeyList keys) {
        texts(keys.current()).forEach(text -> fixed.add(new Catalog.Fixed(name, text)));
        texts(keys.previous())
            .forEach(text -> fixed.add(new Catalog.Fixed(name + "_PREVIOUS", text)));
      } else {
        texts(v).forEach(text -> fixed.add(new Catalog.Fixed(name, text)));
      }
    }
    if (v instanceof URI || v instanceof String || v instanceof List) {
      for (String text : texts(v)) {
        for (String credential : urlCredentials(text)) {
          fixed.add(new Catalog.Fixed(name, credential));
        }
      }
    }
  }

  /**
   * Whether a setting's value came from a secret, as the configuration's report decides it: the
   * setting is secret, its value is what a secret reference resolved to, or it was derived from
   * such a value.
   */
  private boolean isFromSecret(Setting<?> setting) {
    Boolean known = fromSecret.get(setting.name());
    if (known != null) {
      return known;
    }
    Optional<Origin> origin = config.origin(setting.name());
    boolean result = setting.isSecret();
    if (!result && origin.isPresent()) {
      Origin.Kind kind = origin.get().kind();
      result = kind == Origin.Kind.PROVIDER;
      if (kind == Origin.Kind.DERIVED) {
        for (String input : setting.inputs()) {
          Optional<Setting<?>> in = config.schema().setting(input);
          result |= in.isPresent() && isFromSecret(in.get());
        }
      }
    }
    fromSecret.put(setting.name(), result);
    return result;
  }

  /** The reference a setting's value was resolved from, or null. */
  private SecretRef reference(String name) {
    Optional<Origin> origin = config.origin(name);
    if (origin.isEmpty() || origin.get().kind() != Origin.Kind.PROVIDER) {
      return null;
    }
    // A provider's own configuration names its origin in its own way; only references count.
    return SecretRef.problem(origin.get().detail()).isPresent()
        ? null
        : SecretRef.parse(origin.get().detail());
  }

  /**
   * The texts of a value as they would be printed: each entry of a list on its own. A secret the
   * application has wiped has none: its value is gone from the configuration.
   */
  private static List<String> texts(Object value) {
    List<String> texts = new ArrayList<>(1);
    if (value instanceof Secret secret) {
      if (!secret.isWiped()) {
        texts.add(secret.reveal());
      }
    } else if (value instanceof KeyList keys) {
      texts.addAll(texts(keys.all()));
    } else if (value instanceof List<?> list) {
      list.forEach(entry -> texts.addAll(texts(entry)));
    } else if (value instanceof Duration duration) {
      texts.add(Setting.formatDuration(duration));
      texts.add(duration.toString());
    } else {
      texts.add(String.valueOf(value));
    }
    return texts;
  }

  /**
   * Every credential in a text that is not secret as a whole, each as written and percent-decoded:
   * what the configuration's report masks in it ({@code ConfigReport.maskUrls}, by the same code),
   * so that a value the report hides is redacted too. That is the user info of every URL up to the
   * last {@code @} before the next URL (an unencoded password may hold {@code / ? # @}), the value
   * of every parameter whose name marks a credential, and long bare fragments.
   */
  static List<String> urlCredentials(String text) {
    List<String> found = new ArrayList<>();
    for (String credential : UrlMasking.credentials(text)) {
      addDecoded(credential, found);
    }
    return found;
  }

  private static void addDecoded(String raw, List<String> found) {
    if (raw.isEmpty()) {
      return;
    }
    found.add(raw);
    String decoded = percentDecode(raw);
    if (decoded != null && !decoded.equals(raw)) {
      found.add(decoded);
    }
  }

  /**
   * The text with every {@code %XX} decoded as UTF-8 (and {@code +} kept), or null if malformed.
   */
  private static String percentDecode(String text) {
    StringBuilder out = new StringBuilder(text.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        out.append(bytes.toString(StandardCharsets.UTF_8)).append(c);
        bytes.reset();
        continue;
      }
      int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (lo < 0) {
        return null;
      }
      bytes.write(hi * 16 + lo);
      i += 2;
    }
    return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
  }
}
