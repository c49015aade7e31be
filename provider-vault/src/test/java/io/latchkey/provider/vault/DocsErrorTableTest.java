package io.latchkey.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure table of {@code docs/providers/vault.md} and the provider's error mapping say the
 * same: every row is checked against what the mapper (or the code that throws) gives, thrown type,
 * kind and what the resolver does with it, and every status code from 100 to 599 is looked up in
 * the table as a reader would, for a read and for a login.
 */
final class DocsErrorTableTest {
  private static final Path PAGE = Path.of("../docs/providers/vault.md");
  private static final SecretRef REF = SecretRef.parse("vault:secret/data/app#k");
  private static final Pattern STATUS = Pattern.compile("\\b([1-5](?:\\d\\d|xx))\\b");
  private static final String OTHER_STATUS = "any other status";

  @TempDir Path dir;

  /** A row of the table. */
  private record Row(String what, String thrown, String kind, String resolver) {
    boolean isLogin() {
      return what.contains("login");
    }

    List<String> statuses() {
      List<String> codes = new ArrayList<>();
      Matcher m = STATUS.matcher(what);
      while (m.find()) {
        codes.add(m.group(1));
      }
      return codes;
    }

    boolean isStatusRow() {
      return !statuses().isEmpty() || what.startsWith(OTHER_STATUS);
    }
  }

  private static List<Row> table() throws IOException {
    List<String> lines = Files.readAllLines(PAGE);
    int heading = lines.indexOf("## Failure behaviour");
    assertThat(heading).as("the page's failure section").isNotNegative();
    int header = heading;
    while (!lines.get(header).startsWith("| what happened |")) {
      header++;
    }
    List<Row> rows = new ArrayList<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String line = lines.get(i);
      String[] cells = line.substring(1, line.length() - 1).split("\\|");
      assertThat(cells).as(line).hasSize(4);
      rows.add(new Row(cells[0].strip(), code(cells[1]), code(cells[2]), cells[3].strip()));
    }
    return rows;
  }

  /** The first {@code `code`} of a cell, or the cell as it is (a dash). */
  private static String code(String cell) {
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    return m.find() ? m.group(1) : cell.strip();
  }

  private static void check(Row row, Throwable actual, String as) {
    assertThat(actual.getClass().getSimpleName()).as(as).isEqualTo(row.thrown());
    if (actual instanceof ProviderException p) {
      assertThat(p.kind().name()).as(as).isEqualTo(row.kind());
      assertThat(row.resolver())
          .as(as)
          .startsWith(p.isRetryable() ? "retried" : "no retry")
          // The resolver serves a held value after any provider failure but these.
          .contains(p.kind() == Kind.UNSUPPORTED ? "never stale" : "stale value served");
    } else if (actual instanceof IllegalStateException) {
      assertThat(row.kind()).as(as).isEqualTo("—");
      assertThat(row.resolver()).as(as).startsWith("not a provider failure");
    } else {
      assertThat(row.kind()).as(as).isEqualTo("—");
      assertThat(row.resolver()).as(as).isEqualTo("no retry, never stale");
    }
  }

  /** The row a reader finds for a status: listed, then its class ({@code 5xx}), then the rest. */
  private static Row rowFor(List<Row> rows, int status, boolean login) {
    String code = Integer.toString(status);
    String family = status / 100 + "xx";
    for (String wanted : List.of(code, family)) {
      if (login) {
        for (Row row : rows) {
          if (row.isLogin() && row.statuses().contains(wanted)) {
            return row;
          }
        }
      }
      for (Row row : rows) {
        if (!row.isLogin() && row.statuses().contains(wanted)) {
          return row;
        }
      }
    }
    return rows.stream().filter(r -> r.what().startsWith(OTHER_STATUS)).findFirst().orElseThrow();
  }

  @Test
  void everyStatus_isInTheTable_asTheMapperMapsIt() throws IOException {
    List<Row> rows = table();
    TreeSet<String> used = new TreeSet<>();
    for (int status = 100; status < 600; status++) {
      if (status == 200) {
        continue;
      }
      Row read = rowFor(rows, status, false);
      Throwable onRead =
          status == 404
              ? Kv.notFound(REF, (JsonValue) null)
              : VaultErrors.status(REF, status, "reading the secret");
      check(read, onRead, "HTTP " + status + " on a read, row '" + read.what() + "'");
      Row login = rowFor(rows, status, true);
      Throwable onLogin =
          VaultErrors.login(REF, status, "approle", "approle", "VAULT_APPROLE_MOUNT");
      check(login, onLogin, "HTTP " + status + " on a login, row '" + login.what() + "'");
      used.add(read.what());
      used.add(login.what());
    }
    for (Row row : rows) {
      if (row.isStatusRow()) {
        assertThat(used).as("a status row no status reaches").contains(row.what());
      }
    }
  }

  @Test
  void everyOtherRow_isWhatTheCodeThrows() throws Exception {
    Map<String, List<Callable<?>>> probes = new LinkedHashMap<>();
    probes.put(
        "a deleted or destroyed KV v2 version",
        List.of(
            () ->
                Kv.notFound(
                    REF,
                    JsonValue.parse("{\"version\":3,\"deletion_time\":\"2026-11-23T10:15:30Z\"}")),
            () -> Kv.notFound(REF, JsonValue.parse("{\"version\":3,\"destroyed\":true}"))));
    probes.put(
        "`#field` missing, or `null`",
        List.of(
            () -> field("{\"other\":\"v\"}"),
            () -> field("{\"k\":null}"),
            () -> field("not JSON")));
    probes.put(
        "connection refused",
        List.of(
            () -> transport(new ConnectException("refused")),
            () -> transport(new IOException("reset"))));
    probes.put("an answer cut short", List.of(() -> transport(new EOFException("EOF"))));
    probes.put(
        "no answer within",
        List.of(
            () -> transport(new SocketTimeoutException("Read timed out")),
            () -> VaultErrors.timedOut(REF, null, Duration.ofSeconds(5))));
    probes.put(
        "an answer that is not JSON",
        List.of(
            () -> reading(() -> JsonValue.parse("<html>")),
            () -> reading(() -> JsonValue.parse("{\"data\":[]}").object("data")),
            () -> reading(() -> JsonValue.parse("{\"version\":2.7}").integer("version"))));
    probes.put(
        "an answer larger than 1 MiB",
        List.of(() -> transport(new IOException(new Http1Client.TooLarge(1024)))));
    probes.put(
        "an answer that is not well-formed HTTP/1.1",
        List.of(
            () -> transport(new ProtocolException("the answer is not HTTP/1.1")),
            () -> transport(new IOException(new ProtocolException("malformed chunk size")))));
    probes.put(
        "a token or namespace an HTTP header cannot carry",
        List.of(DocsErrorTableTest::fetchWithATokenNoHeaderCarries));
    probes.put(
        "TLS handshake failed",
        List.of(() -> transport(new SSLHandshakeException("PKIX path building failed"))));
    probes.put(
        "any other failure of the HTTP client",
        List.of(() -> transport(new IllegalArgumentException("unexpected"))));
    Path empty = Files.createFile(dir.resolve("empty"));
    Path big = Files.writeString(dir.resolve("big"), "x".repeat(65 * 1024));
    probes.put(
        "a token, secret ID or JWT file that cannot be read",
        List.of(
            () -> Login.readFile(REF, dir.resolve("missing"), "the token file"),
            () -> Login.readFile(REF, empty, "the secret ID file")));
    probes.put(
        "a token, secret ID or JWT file larger than",
        List.of(() -> Login.readFile(REF, big, "the service account token file")));
    Kv kv = new Kv(null, null, Clock.systemUTC());
    probes.put(
        "a reference KV cannot serve",
        List.of(
            () -> kv.locate(SecretRef.parse("vault:secret/../app")),
            () -> kv.locate(SecretRef.parse("vault:secret//app"))));
    probes.put("the provider is closed", List.of(DocsErrorTableTest::fetchFromAClosedProvider));

    List<Row> rows = table().stream().filter(r -> !r.isStatusRow()).toList();
    for (Row row : rows) {
      List<String> matching = probes.keySet().stream().filter(row.what()::startsWith).toList();
      assertThat(matching).as("probes for row '" + row.what() + "'").hasSize(1);
      for (Callable<?> probe : probes.get(matching.get(0))) {
        check(row, outcome(probe), "row '" + row.what() + "'");
      }
    }
    for (String probe : probes.keySet()) {
      assertThat(rows).as("a row for " + probe).anyMatch(r -> r.what().startsWith(probe));
    }
  }

  /** What a probe throws, or the failure it returns. */
  private static Throwable outcome(Callable<?> probe) throws Exception {
    Object result;
    try {
      result = probe.call();
    } catch (RuntimeException e) {
      return e;
    }
    assertThat(result).as("a probe's outcome").isInstanceOf(Throwable.class);
    return (Throwable) result;
  }

  private static Object field(String whole) {
    return new KvValues().field(REF, SecretVersion.of(Secret.of(whole), "1", Instant.EPOCH));
  }

  private static ProviderException transport(Throwable t) {
    return VaultErrors.transport(REF, t, "https://vault:8200", Duration.ofSeconds(5));
  }

  private static Object reading(Callable<?> read) {
    return VaultErrors.reading(
        REF,
        "the test",
        () -> {
          try {
            return read.call();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  private static Object fetchFromAClosedProvider() {
    VaultSecretProvider provider =
        VaultSecretProvider.builder()
            .address(URI.create("https://vault.example.com:8200"))
            .token(Secret.of("t"))
            .build();
    provider.close();
    return provider.fetch(REF);
  }

  private static Object fetchWithATokenNoHeaderCarries() {
    // Refused before a connection is opened: nothing listens on port 1.
    try (VaultSecretProvider provider =
        VaultSecretProvider.builder()
            .address(URI.create("http://127.0.0.1:1"))
            .token(Secret.of("s.a\nb"))
            .build()) {
      return provider.fetch(REF);
    }
  }
}
