package io.latchkey.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.latchkey.scan.Rule;
import io.latchkey.scan.SecretScanner;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as SARIF 2.1.0, for code-scanning tools (GitHub code scanning, GitLab, IDEs): one run
 * whose driver lists every rule, one result per problem with its location relative to the scanned
 * directory ({@code %SRCROOT%}) and its fingerprint under {@code partialFingerprints}, so that a
 * tool follows a finding from one run to the next. Results are written as they come.
 *
 * <p>The run ends with its invocation ({@code runs[0].invocations[0]}): {@code executionSuccessful}
 * is false when a file could not be read (or git failed), so that an incomplete scan is never read
 * as a clean one, and {@code toolExecutionNotifications} names each file skipped (level {@code
 * warning}) or unreadable (level {@code error}), with its location as results give it and the
 * reason; never a value.
 */
final class SarifReport implements ScanReport {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String FINGERPRINT_KEY = "latchkeyFingerprint/v1";
  private static final String HELP =
      "https://github.com/latchkey/latchkey/blob/main/docs/scanning.md";

  private final JsonGenerator json;
  private final List<String> ruleIds = new ArrayList<>();
  private final List<Notice> notices = new ArrayList<>();

  SarifReport(Writer out, Path root, String version) throws IOException {
    json = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter();
    json.writeStartObject();
    json.writeStringField("$schema", SCHEMA);
    json.writeStringField("version", "2.1.0");
    json.writeArrayFieldStart("runs");
    json.writeStartObject();
    json.writeObjectFieldStart("tool");
    json.writeObjectFieldStart("driver");
    json.writeStringField("name", "latchkey");
    json.writeStringField("semanticVersion", version);
    json.writeStringField("informationUri", HELP);
    json.writeArrayFieldStart("rules");
    for (Rule rule : SecretScanner.rules()) {
      rule(rule.id(), rule.description());
    }
    rule(EnvFiles.RULE, EnvFiles.DESCRIPTION);
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndObject();
    json.writeObjectFieldStart("originalUriBaseIds");
    json.writeObjectFieldStart("%SRCROOT%");
    String base = root.toAbsolutePath().normalize().toUri().toString();
    json.writeStringField("uri", base.endsWith("/") ? base : base + "/");
    json.writeEndObject();
    json.writeEndObject();
    json.writeStringField("columnKind", "utf16CodeUnits");
    json.writeArrayFieldStart("results");
  }

  private void rule(String id, String description) throws IOException {
    ruleIds.add(id);
    json.writeStartObject();
    json.writeStringField("id", id);
    json.writeObjectFieldStart("shortDescription");
    json.writeStringField("text", description);
    json.writeEndObject();
    json.writeStringField("helpUri", HELP + "#the-rules");
    json.writeObjectFieldStart("defaultConfiguration");
    json.writeStringField("level", "error");
    json.writeEndObject();
    json.writeEndObject();
  }

  @Override
  public void add(Problem p) throws IOException {
    json.writeStartObject();
    json.writeStringField("ruleId", p.rule());
    json.writeNumberField("ruleIndex", ruleIds.indexOf(p.rule()));
    json.writeStringField("level", "error");
    json.writeObjectFieldStart("message");
    json.writeStringField(
        "text",
        (p.rule().equals(EnvFiles.RULE) ? "A .env file " : "A secret (" + p.rule() + ") ")
            + p.excerpt()
            + "; if it is not a secret, allow-list fingerprint "
            + p.fingerprint());
    json.writeEndObject();
    json.writeArrayFieldStart("locations");
    json.writeStartObject();
    json.writeObjectFieldStart("physicalLocation");
    json.writeObjectFieldStart("artifactLocation");
    json.writeStringField("uri", uri(p.path()));
    json.writeStringField("uriBaseId", "%SRCROOT%");
    json.writeEndObject();
    json.writeObjectFieldStart("region");
    json.writeNumberField("startLine", p.line());
    json.writeNumberField("startColumn", p.column());
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndObject();
    json.writeEndArray();
    json.writeObjectFieldStart("partialFingerprints");
    json.writeStringField(FINGERPRINT_KEY, p.fingerprint());
    json.writeEndObject();
    json.writeEndObject();
  }

  private void notification(Notice n) throws IOException {
    json.writeStartObject();
    json.writeStringField("level", n.incomplete() ? "error" : "warning");
    json.writeObjectFieldStart("message");
    json.writeStringField("text", n.message());
    json.writeEndObject();
    if (n.path() != null) {
      json.writeArrayFieldStart("locations");
      json.writeStartObject();
      json.writeObjectFieldStart("physicalLocation");
      json.writeObjectFieldStart("artifactLocation");
      json.writeStringField("uri", uri(n.path()));
      json.writeStringField("uriBaseId", "%SRCROOT%");
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndObject();
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** A relative path as a URI reference: {@code /} separators, anything unsafe percent-encoded. */
  static String uri(String path) {
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      return "unknown";
    }
  }

  @Override
  public void notice(Notice notice) {
    notices.add(notice);
  }

  @Override
  public void finish() throws IOException {
    json.writeEndArray();
    json.writeArrayFieldStart("invocations");
    json.writeStartObject();
    json.writeBooleanField("executionSuccessful", notices.stream().noneMatch(Notice::incomplete));
    if (!notices.isEmpty()) {
      json.writeArrayFieldStart("toolExecutionNotifications");
      for (Notice n : notices) {
        notification(n);
      }
      json.writeEndArray();
    }
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    json.writeEndArray();
    json.writeEndObject();
    json.writeRaw('\n');
    json.flush();
  }
}
