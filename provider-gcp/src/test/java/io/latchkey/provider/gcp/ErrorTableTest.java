package io.latchkey.provider.gcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The error tables of {@code docs/providers/gcp.md} and the error mapper say the same: every gRPC
 * status code the service can answer with is in the table once, with the kind {@link GcpErrors}
 * gives it, and whether the resolver retries it and serves a stale value after it.
 */
final class ErrorTableTest {
  private static final SecretRef REF = SecretRef.parse("gcp:db");
  private static final Pattern CODE = Pattern.compile("`([A-Z_]+)`");

  /** A row of a table: its first cell, and what it says happens. */
  private record Row(String what, String outcome, String retried, String stale) {}

  private static List<Row> table(String header) throws IOException {
    Path page =
        Path.of(System.getProperty("basedir", ""))
            .toAbsolutePath()
            .getParent()
            .resolve("docs/providers/gcp.md");
    List<String> lines = Files.readAllLines(page, UTF_8);
    int start = lines.indexOf(header);
    assertThat(start).as("the table headed %s", header).isNotNegative();
    List<Row> rows = new ArrayList<>();
    // The header, then the separator, then rows until the first line that is not one.
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|");
      assertThat(cells).as(lines.get(i)).hasSize(5);
      rows.add(new Row(cells[1].strip(), cells[2].strip(), cells[3].strip(), cells[4].strip()));
    }
    assertThat(rows).isNotEmpty();
    return rows;
  }

  /** A status as the service sends it: the server's trailers arrived. */
  private static RuntimeException mapped(Status.Code code) {
    CallTrace trace = new CallTrace();
    ClientStreamTracer tracer =
        trace.newClientStreamTracer(
            ClientStreamTracer.StreamInfo.newBuilder().build(), new Metadata());
    tracer.inboundHeaders();
    tracer.inboundTrailers(new Metadata());
    ApiException failure =
        ApiExceptionFactory.createException(
            Status.fromCode(code).asRuntimeException(), GrpcStatusCode.of(code), false);
    return GcpErrors.translate(
        REF, failure, "secretmanager.versions.access", Duration.ofSeconds(5), trace);
  }

  private static String outcome(RuntimeException e) {
    if (e instanceof SecretNotFoundException) {
      return "`SecretNotFoundException`";
    }
    return "`" + ((ProviderException) e).kind().name() + "`";
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  /** The resolver's rule: a held value outlives every failure but "not found" and UNSUPPORTED. */
  private static boolean servedStale(RuntimeException e) {
    return e instanceof ProviderException p && p.kind() != Kind.UNSUPPORTED;
  }

  @Test
  void statusTable_listsEveryCodeOnce_asTheMapperMapsIt() throws IOException {
    List<String> listed = new ArrayList<>();
    for (Row row : table("| gRPC status | Latchkey | retried by the resolver | served stale |")) {
      Matcher m = CODE.matcher(row.what());
      while (m.find()) {
        Status.Code code = Status.Code.valueOf(m.group(1));
        listed.add(code.name());
        RuntimeException e = mapped(code);

        assertThat(outcome(e)).as(code.name()).isEqualTo(row.outcome());
        assertThat(yesNo(e instanceof ProviderException p && p.isRetryable()))
            .as(code.name() + " retried")
            .isEqualTo(row.retried());
        assertThat(yesNo(servedStale(e))).as(code.name() + " served stale").isEqualTo(row.stale());
      }
    }

    Set<Status.Code> all = EnumSet.allOf(Status.Code.class);
    all.remove(Status.Code.OK);
    assertThat(listed)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            all.stream().map(Enum::name).collect(Collectors.toList()));
  }

  @Test
  void clientSideTable_namesKinds_withTheirRetryAndStaleRules() throws IOException {
    List<Row> rows =
        table("| found on the client's side | Latchkey | retried by the resolver | served stale |");

    for (Row row : rows) {
      String name = row.outcome().replace("`", "");
      assertThat(Arrays.stream(Kind.values()).map(Enum::name)).as(row.what()).contains(name);
      Kind kind = Kind.valueOf(name);
      assertThat(yesNo(kind.isRetryable())).as(row.what()).isEqualTo(row.retried());
      assertThat(yesNo(kind != Kind.UNSUPPORTED)).as(row.what()).isEqualTo(row.stale());
    }
  }

  @Test
  void theClientsOwnRefusal_ofAnAnswerOverTheCap_isMalformed_asTheTableSays() {
    // The answer began (headers), and the call ended with no status from the server.
    CallTrace trace = new CallTrace();
    trace
        .newClientStreamTracer(ClientStreamTracer.StreamInfo.newBuilder().build(), new Metadata())
        .inboundHeaders();
    ApiException refused =
        ApiExceptionFactory.createException(
            Status.RESOURCE_EXHAUSTED.asRuntimeException(),
            GrpcStatusCode.of(Status.Code.RESOURCE_EXHAUSTED),
            false);

    RuntimeException e = GcpErrors.translate(REF, refused, "p", Duration.ofSeconds(5), trace);

    assertThat(((ProviderException) e).kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
    assertThat(mapped(Status.Code.RESOURCE_EXHAUSTED))
        .isInstanceOfSatisfying(
            ProviderException.class, p -> assertThat(p.kind()).isEqualTo(Kind.THROTTLED));
  }
}
