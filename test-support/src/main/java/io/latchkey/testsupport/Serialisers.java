package io.latchkey.testsupport;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.gson.Gson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The serialisers an application might point at a library object by accident (Jackson as it comes,
 * without {@code FAIL_ON_EMPTY_BEANS}, and reading private fields; Gson, which reads fields; Java
 * serialisation), and one check that none of them writes a value.
 */
public final class Serialisers {
  private Serialisers() {}

  /**
   * Returns a JSON writer per serialiser, by a name for failure messages.
   *
   * @return name to writer; a writer throws {@link IllegalStateException} if its mapper refused
   */
  public static Map<String, Function<Object, String>> json() {
    Map<String, Function<Object, String>> all = new LinkedHashMap<>();
    ObjectMapper plain = new ObjectMapper();
    ObjectMapper lenient = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    ObjectMapper fields =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
    Gson gson = new Gson();
    all.put("Jackson", o -> write(plain, o));
    all.put("Jackson without FAIL_ON_EMPTY_BEANS", o -> write(lenient, o));
    all.put("Jackson with field visibility ANY", o -> write(fields, o));
    all.put("Gson", gson::toJson);
    return all;
  }

  private static String write(ObjectMapper mapper, Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException("Jackson refused", e);
    }
  }

  /**
   * Serialises {@code o} with every JSON serialiser and with {@code ObjectOutputStream}, and fails
   * if a secret appears in any output or in any exception a serialiser threw (a refusal is fine),
   * in any form {@link Leaks} knows or as its UTF-8 bytes written as a JSON number array; and fails
   * unless Java serialisation refuses with {@link NotSerializableException}.
   *
   * @param what a name for the object, for failure messages
   * @param o the object
   * @param rawValues byte values that must not appear as number arrays either (key material)
   * @param secrets the values that must not appear
   * @return what each JSON serialiser wrote, by name; a serialiser that refused is absent
   */
  public static Map<String, String> assertWritesNoValue(
      String what, Object o, List<byte[]> rawValues, String... secrets) {
    List<byte[]> raw = new ArrayList<>(rawValues);
    for (String secret : secrets) {
      raw.add(secret.getBytes(StandardCharsets.UTF_8));
    }
    Map<String, String> written = new LinkedHashMap<>();
    for (Map.Entry<String, Function<Object, String>> s : json().entrySet()) {
      String channel = what + " through " + s.getKey();
      String output;
      try {
        output = s.getValue().apply(o);
      } catch (RuntimeException refused) {
        for (String secret : secrets) {
          Leaks.assertNoLeak(refused, secret);
        }
        continue;
      }
      check(channel, output, raw, secrets);
      written.put(s.getKey(), output);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String channel = what + " through ObjectOutputStream";
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
      throw new AssertionError(channel + " was written; it should have been refused");
    } catch (NotSerializableException expected) {
      for (String secret : secrets) {
        Leaks.assertNoLeak(expected, secret);
      }
    } catch (IOException e) {
      throw new AssertionError(channel + " failed with " + e.getClass().getName());
    }
    check(channel, new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1), raw, secrets);
    return written;
  }

  /**
   * The same as {@link #assertWritesNoValue(String, Object, List, String...)} without raw bytes.
   *
   * @param what a name for the object, for failure messages
   * @param o the object
   * @param secrets the values that must not appear
   * @return what each JSON serialiser wrote, by name; a serialiser that refused is absent
   */
  public static Map<String, String> assertWritesNoValue(String what, Object o, String... secrets) {
    return assertWritesNoValue(what, o, List.of(), secrets);
  }

  private static void check(String channel, String output, List<byte[]> raw, String[] secrets) {
    for (String secret : secrets) {
      Leaks.assertNoLeak(channel, output, secret);
    }
    String compact = output.replace(" ", "");
    for (byte[] value : raw) {
      for (int i = 0; i + Leaks.FRAGMENT <= value.length; i++) {
        StringBuilder run = new StringBuilder();
        for (int j = i; j < i + Leaks.FRAGMENT; j++) {
          run.append(j > i ? "," : "").append(value[j]);
        }
        if (compact.contains(run)) {
          throw new AssertionError(
              channel
                  + " leaks a secret: bytes "
                  + i
                  + ".."
                  + (i + Leaks.FRAGMENT)
                  + " of the value appear as numbers");
        }
      }
    }
  }
}
