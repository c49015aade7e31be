package io.latchkey.redact;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.config.KeyList;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads from a loaded {@link Config} every value to redact: the value of each setting that came
 * from a secret (a secret setting, a value a secret reference resolved to, a value derived from
 * either), every key of a key list, and the password and credential parameters of every URL.
 */
final class ConfigValues {
  /** Query and connection-string parameters whose values are credentials, as names contain them. */
  private static final String[] CREDENTIAL_WORDS = {
    "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "credential"
  };

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
   * The password of every URL in a text ({@code scheme://user:password@host}) and the value of
   * every parameter with a credential name ({@code ?password=…}, {@code ;pwd=…}), each as written
   * and percent-decoded.
   */
  static List<String> urlCredentials(String text) {
    List<String> found = new ArrayList<>();
    int from = 0;
    int scheme;
    while ((scheme = text.indexOf("://", from)) >= 0) {
      int start = scheme + 3;
      int end = start;
      while (end < text.length()
          && "/?#".indexOf(text.charAt(end)) < 0
          && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      int at = text.lastIndexOf('@', end - 1);
      if (at >= start) {
        int colon = text.indexOf(':', start);
        if (colon >= 0 && colon < at) {
          addDecoded(text.substring(colon + 1, at), found);
        }
      }
      from = end;
    }
    int eq = -1;
    while ((eq = text.indexOf('=', eq + 1)) >= 0) {
      int nameStart = eq;
      while (nameStart > 0 && "?&;, \t\n".indexOf(text.charAt(nameStart - 1)) < 0) {
        nameStart--;
      }
      if (isCredentialName(text.substring(nameStart, eq))) {
        int end = eq + 1;
        while (end < text.length() && "&;#, \t\n".indexOf(text.charAt(end)) < 0) {
          end++;
        }
        addDecoded(text.substring(eq + 1, end), found);
      }
    }
    return found;
  }

  private static boolean isCredentialName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : CREDENTIAL_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return lower.endsWith("key");
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
