package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.testsupport.Leaks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A key, a token or a password typed where an option's value or a stray argument goes is refused
 * without being printed, whatever it looks like: starting with one or two dashes (a quarter of
 * base64url keys start with {@code -} or {@code _}), ending in {@code =} (every Fernet key does),
 * holding an {@code =} in the middle, or shaped like a cluster of short options ({@code -hsP…}).
 * Picocli quotes what it could not use; only the names a command declares may stay in its message.
 */
final class OptionLikeArgumentsTest {
  private static final long SEED = Long.getLong("latchkey.canary.seed", 0x5eed0f7e11L);
  private static final Map<String, String> ENV =
      Map.of("APP_KEY", MainTest.encoded(FernetKey.generate()));

  /** Where a value may be typed: each entry is the command line with the value appended. */
  private static final List<List<String>> PLACES =
      List.of(
          List.of("decrypt", "--key-env"),
          List.of("decrypt", "--key-file"),
          List.of("decrypt", "--key"),
          List.of("decrypt", "--key-env=APP_KEY"),
          List.of("encrypt", "--key-env=APP_KEY", "--ttl"),
          List.of("rotate", "--key-env=APP_KEY", "--format"),
          List.of("keygen", "--format"),
          List.of("doctor", "--schema"),
          List.of("reencrypt", "--jdbc-url"),
          List.of());

  @Test
  void optionLikeValues_areRefused_andNeverPrinted() {
    SplittableRandom random = new SplittableRandom(SEED);
    int refused = 0;
    for (int i = 0; i < 400; i++) {
      String secret = shape(Leaks.randomSecret(random, 60), random);
      List<String> place = PLACES.get(random.nextInt(PLACES.size()));
      List<String> args = new ArrayList<>(place);
      if (random.nextBoolean()
          && !place.isEmpty()
          && place.get(place.size() - 1).startsWith("--")
          && !place.get(place.size() - 1).contains("=")) {
        args.set(args.size() - 1, args.get(args.size() - 1) + "=" + secret);
      } else {
        args.add(secret);
      }
      Cli.Result r = Cli.run(ENV, "", args.toArray(String[]::new));
      String what = "seed " + SEED + ", case " + i + " " + place;
      Leaks.assertNoLeak(what + ": stderr", r.stderr(), secret);
      Leaks.assertNoLeak(what + ": stdout", r.stdout(), secret);
      if (r.exitCode() != 0) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(300);
  }

  @Test
  void keysThatStartWithADash_asAnyOptionsValue_areRefusedWithExit2() {
    String key = "-hsPxTxvqylxzahAB8rbJBhAqziPYhgv-hbwNqYQ6_8=";
    for (List<String> place : PLACES) {
      List<String> args = new ArrayList<>(place);
      args.add(key);
      Cli.Result r = Cli.run(ENV, "", args.toArray(String[]::new));
      assertThat(r.exitCode()).as(place.toString()).isEqualTo(2);
      Leaks.assertNoLeak(place + ": stderr", r.stderr(), key);
      Leaks.assertNoLeak(place + ": stdout", r.stdout(), key);
    }
  }

  /** Makes a random secret look like what trips a command line parser. */
  private static String shape(String secret, SplittableRandom random) {
    String s = secret.replace('\'', 'q');
    return switch (random.nextInt(6)) {
      case 0 -> "-" + s;
      case 1 -> "--" + s;
      case 2 -> "-h" + s + "=";
      case 3 -> s + "=";
      case 4 -> "-" + s.replace("=", "") + "=";
      default -> s;
    };
  }
}
