package io.latchkey.bench;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redacting 100 loaded secrets from log messages and from a large text with {@link Redactor}, side
 * by side with the obvious loop of {@code String.contains}/{@code replace} per secret.
 *
 * <p>The 100 secrets have the shapes applications load: API keys with a well-known prefix ({@code
 * sk-proj-…}, {@code ghp_…}, {@code xoxb-…}), Fernet keys (44 characters of base64url), passwords
 * with punctuation, hex tokens, 16 to 64 characters each. The redactor looks for every one of them
 * in each of its forms (raw, percent-encoded, base64 at every alignment, hex, JSON-escaped…); the
 * naive loop looks for the 100 raw values only.
 *
 * <ul>
 *   <li>{@code *_message} (ns per message): a 200-character log line with no secret in it, the
 *       common case.
 *   <li>{@code *_messageWithSecret} (ns): a 200-character log line holding one secret.
 *   <li>{@code naiveForms_message} (ns): the naive loop over eight forms of each secret (raw,
 *       form-encoded, base64 and base64url with and without padding, hex in both cases): 800
 *       strings, part of the redactor's coverage done the obvious way.
 *   <li>{@code *_megabyte} (µs per 1 MiB text): 1,048,576 characters of log lines (ASCII, so 1 MiB
 *       of UTF-8) with one secret, in one of eight forms, every 100 KiB; the redactor's throughput
 *       is 1 MiB divided by this time.
 * </ul>
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RedactorBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Benchmark)
public class RedactorBenchmark {
  private static final int SECRETS = 100;
  private static final int MEGABYTE = 1 << 20;
  private static final int WRITE = 8192;
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Redactor redactor;
  private List<String> secrets;
  private List<String> forms;
  private String message;
  private String messageWithSecret;
  private String megabyte;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    secrets = new ArrayList<>();
    Redactor.Builder builder = Redactor.builder();
    for (int i = 0; i < SECRETS; i++) {
      String secret = secret(random, i);
      secrets.add(secret);
      builder.value("SECRET_" + i, Secret.of(secret));
    }
    redactor = builder.build();
    forms = new ArrayList<>();
    for (String secret : secrets) {
      forms.addAll(forms(secret));
    }
    message =
        fit(
            "2024-05-14T09:21:38.412Z INFO  [http-nio-8080-exec-7] c.e.billing.InvoiceService -"
                + " created invoice inv_8f3a2c91 for customer cus_41d9e7 amount=129.00 EUR"
                + " status=pending attempt=1 trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa",
            200);
    String secret = secrets.get(37);
    messageWithSecret =
        fit(
            "2024-05-14T09:21:38.412Z WARN  [http-nio-8080-exec-7] c.e.llm.Client - retrying"
                + " request to https://api.example.com/v1/chat with key "
                + secret
                + " status=429 attempt=2 trace=4bf92f3577b34da6a3ce",
            200);
    megabyte = megabyte(random);
    check();
  }

  private static String fit(String text, int length) {
    StringBuilder out = new StringBuilder(text);
    while (out.length() < length) {
      out.append(' ').append(text, 0, Math.min(text.length(), length - out.length() - 1));
    }
    out.setLength(length);
    return out.toString();
  }

  /** A secret in one of the shapes applications load, 16 to 64 characters. */
  private static String secret(SplittableRandom random, int i) {
    switch (i % 5) {
      case 0:
        return "sk-proj-" + random(random, ALNUM + "-_", 40);
      case 1:
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getUrlEncoder().encodeToString(key);
      case 2:
        return random(random, ALNUM + "!#$%&*+-./:;=?@^_~", random.nextInt(16, 25));
      case 3:
        return random(random, "0123456789abcdef", 64);
      default:
        return (i % 2 == 0 ? "ghp_" : "xoxb-") + random(random, ALNUM, 36);
    }
  }

  private static String random(SplittableRandom random, String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * Eight forms of a secret, for the naive loop over forms and for the large text: raw,
   * form-encoded, base64 and base64url with and without padding, hex in lower and upper case.
   */
  private static List<String> forms(String secret) {
    byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
    StringBuilder hex = new StringBuilder();
    for (byte b : utf8) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return List.of(
        secret,
        URLEncoder.encode(secret, StandardCharsets.UTF_8),
        Base64.getEncoder().encodeToString(utf8),
        Base64.getEncoder().withoutPadding().encodeToString(utf8),
        Base64.getUrlEncoder().encodeToString(utf8),
        Base64.getUrlEncoder().withoutPadding().encodeToString(utf8),
        hex.toString(),
        hex.toString().toUpperCase(Locale.ROOT));
  }

  /** Log lines, ASCII, with a secret in some form every 100 KiB. */
  private String megabyte(SplittableRandom random) {
    StringBuilder out = new StringBuilder(MEGABYTE + 256);
    int next = 100 << 10;
    int line = 0;
    while (out.length() < MEGABYTE) {
      if (out.length() >= next) {
        String secret = secrets.get(random.nextInt(SECRETS));
        List<String> shapes = forms(secret);
        out.append("request failed, credentials ")
            .append(shapes.get(random.nextInt(shapes.size())))
            .append('\n');
        next += 100 << 10;
      }
      out.append("2024-05-14T09:21:38.")
          .append(line % 1000)
          .append("Z INFO  [worker-")
          .append(line % 16)
          .append("] c.e.jobs.Sync - synced batch ")
          .append(Integer.toHexString(random.nextInt()))
          .append(" rows=")
          .append(random.nextInt(10_000))
          .append(" took=")
          .append(random.nextInt(500))
          .append("ms user=")
          .append(random(random, ALNUM, 12))
          .append('\n');
      line++;
    }
    out.setLength(MEGABYTE);
    return out.toString();
  }

  /** Fails the run if either side gets the work wrong, so that no figure comes from a bug. */
  private void check() {
    if (redactor.redact(message) != message || !naive(message).equals(message)) {
      throw new IllegalStateException("the clean message was changed");
    }
    if (redactor.redact(messageWithSecret).contains(secrets.get(37))
        || naive(messageWithSecret).contains(secrets.get(37))) {
      throw new IllegalStateException("the secret was not redacted");
    }
    if (redactor.find(megabyte).size() < 9) {
      throw new IllegalStateException("the secrets in the large text were not all found");
    }
  }

  private String naive(String text) {
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, "***");
      }
    }
    return out;
  }

  @Benchmark
  public String redactor_message() {
    return redactor.redact(message);
  }

  @Benchmark
  public String naive_message() {
    return naive(message);
  }

  @Benchmark
  public String naiveForms_message() {
    String out = message;
    for (String form : forms) {
      if (out.contains(form)) {
        out = out.replace(form, "***");
      }
    }
    return out;
  }

  @Benchmark
  public String redactor_messageWithSecret() {
    return redactor.redact(messageWithSecret);
  }

  @Benchmark
  public String naive_messageWithSecret() {
    return naive(messageWithSecret);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String redactor_megabyte() {
    return redactor.redact(megabyte);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void redactor_megabyteThroughWriter() throws IOException {
    try (Writer out = redactor.wrap(Writer.nullWriter())) {
      for (int i = 0; i < MEGABYTE; i += WRITE) {
        out.write(megabyte, i, Math.min(WRITE, MEGABYTE - i));
      }
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String naive_megabyte() {
    return naive(megabyte);
  }
}
