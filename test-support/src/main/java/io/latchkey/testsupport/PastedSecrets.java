package io.latchkey.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Secrets in the shapes people paste into the wrong setting (a path, a URL, a region, a role, a
 * mount, a duration): what CI systems and container platforms invite by asking for "the
 * credentials" in a field that wants a file's path. The pasted-secret tests of every provider put
 * each of them into each setting the provider reads, and check that no output quotes it.
 *
 * <p>The values are fixed, none issued by anyone, so a failure names the same value on every run.
 */
public final class PastedSecrets {
  /** The body of the PEM key: what must never be quoted, in whatever text holds it. */
  public static final String KEY_MATERIAL =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC9f2cCANARYpAsTeD";

  /** A PEM private key, with real line breaks. */
  public static final String PEM_KEY =
      "-----BEGIN PRIVATE KEY-----\n" + KEY_MATERIAL + "\n-----END PRIVATE KEY-----\n";

  /** A service account's JSON key, the PEM key inside it escaped as Google writes it. */
  public static final String SERVICE_ACCOUNT_JSON =
      "{\"type\": \"service_account\", \"project_id\": \"acme\", \"private_key_id\":"
          + " \"9f2c1a7e5b3d\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
          + KEY_MATERIAL
          + "\\n-----END PRIVATE KEY-----\\n\", \"client_email\":"
          + " \"svc@acme.iam.gserviceaccount.com\"}";

  /** An AWS secret access key: 40 characters of base64, slashes included. */
  public static final String AWS_SECRET_ACCESS_KEY = "q7Rz/Kd2mWx9PfLs3VbN8tYc/Hj4GeUa5oXi1EwT";

  /** A Vault service token. */
  public static final String VAULT_TOKEN = "hvs.CAESIJk3n7Qx2PzLw9RtY4vBm8sDf6GhKaEo1UcZ";

  /** A GitHub personal access token. */
  public static final String GITHUB_TOKEN = "ghp_4kQz9XwP2mRt7LsV1bNc8YhJ3dGf6TeA0uKi";

  /** A Fernet key: 32 bytes in base64url, padded. */
  public static final String FERNET_KEY = "bW9ja0Zlcm5ldEtleS1uM3Zlci1pc3N1ZWQtcTdSeg8=";

  /** A JSON Web Token, signed with HS256. */
  public static final String JWT =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYWNtZSIsImlhdCI6MTcwMDAwMDAwMH0"
          + ".Zk3Qp9XwL2mRt7sVb1Nc8YhJ3dGf6TeA0uKiq4Rz";

  /** 40 characters of random base64, as a generated password or API key is. */
  public static final String RANDOM_BASE64 = "Tq8Lz3WxKp9MbR2vYc7NdF4hJs6GtE1uAo5XiQw+";

  private PastedSecrets() {}

  /**
   * Every shape, by name; each value is the text to paste.
   *
   * @return shape name to secret, in a fixed order
   */
  public static Map<String, String> shapes() {
    Map<String, String> shapes = new LinkedHashMap<>();
    shapes.put("service-account JSON", SERVICE_ACCOUNT_JSON);
    shapes.put("PEM key", PEM_KEY);
    shapes.put("AWS secret access key", AWS_SECRET_ACCESS_KEY);
    shapes.put("Vault token", VAULT_TOKEN);
    shapes.put("GitHub token", GITHUB_TOKEN);
    shapes.put("Fernet key", FERNET_KEY);
    shapes.put("JWT", JWT);
    shapes.put("random base64", RANDOM_BASE64);
    return shapes;
  }

  /**
   * The part of a shape whose appearance in an output is a leak: the key material for the shapes
   * that wrap a PEM key (whose armour and JSON member names messages may legitimately share), and
   * the whole value otherwise.
   *
   * @param secret a value of {@link #shapes()}
   * @return the text no output may hold, in any form {@link Leaks} knows
   */
  public static String core(String secret) {
    return secret.contains(KEY_MATERIAL) ? KEY_MATERIAL : secret;
  }

  /**
   * Every shape in every setting, as the arguments of a parameterised test: the setting, the
   * shape's name and the text to paste.
   *
   * @param settings the names of the settings to paste into
   * @return one argument array for each pair
   */
  public static Stream<Object[]> inEach(Stream<String> settings) {
    return settings.flatMap(
        setting ->
            shapes().entrySet().stream()
                .map(shape -> new Object[] {setting, shape.getKey(), shape.getValue()}));
  }

  /**
   * What a pasted secret could reach: the texts a test collects ({@code toString()}, a description,
   * a report) and the throwables its calls end with, checked together with the log.
   */
  public static final class Outputs {
    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    /**
     * Keeps a text that is output.
     *
     * @param text such as a {@code toString()} or a report
     */
    public void text(String text) {
      texts.add(text);
    }

    /**
     * Keeps a throwable a call ended with.
     *
     * @param failure the throwable
     */
    public void failed(Throwable failure) {
      failures.add(failure);
    }

    /**
     * Runs a call, keeping the exception it ends with, if any.
     *
     * @param action the call
     */
    public void attempt(Runnable action) {
      try {
        action.run();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }

    /**
     * The throwables kept so far.
     *
     * @return them, in order
     */
    public List<Throwable> failures() {
      return List.copyOf(failures);
    }

    /**
     * Asserts that no kept throwable, no kept text and not the log holds the secret, in any form
     * {@link Leaks} knows.
     *
     * @param what what was pasted where, for a text's failure message
     * @param log the log captured meanwhile
     * @param secret the text no output may hold
     */
    public void assertNoLeak(String what, String log, String secret) {
      Leaks.assertNoLeak(failures, secret);
      for (String text : texts) {
        Leaks.assertNoLeak(what, text, secret);
      }
      Leaks.assertNoLeak("the log", log, secret);
    }
  }
}
