package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.LatchkeyException;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The failure table of {@code docs/providers/aws.md} and the error mapper say the same: each error
 * code and HTTP status the table names maps to the kind its row gives, and the table names every
 * code the mapper tells apart.
 */
final class DocsErrorTableTest {
  private static final Path PAGE =
      Path.of(System.getProperty("basedir", ".")).resolve("../docs/providers/aws.md").normalize();
  private static final Pattern CODE = Pattern.compile("`([A-Za-z][A-Za-z0-9]*)`");
  private static final Pattern STATUS = Pattern.compile("HTTP (\\d{3}|5xx)");
  private static final SecretRef REF = SecretRef.parse("aws:prod/db");

  /** One row of the table: the codes and statuses of its first column, the kind of its second. */
  private record Row(List<String> codes, List<Integer> statuses, String kind) {}

  private static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
    int start = lines.indexOf("## Failure behaviour");
    assertThat(start).as("the section in " + PAGE).isNotNegative();
    List<Row> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines.subList(start + 1, lines.size())) {
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      inTable = true;
      String[] cells = line.split("\\|");
      String said = cells[1];
      String kind = cells[2].strip().replace("`", "");
      if (said.contains("---") || kind.equals("Latchkey")) {
        continue;
      }
      List<String> codes = new ArrayList<>();
      Matcher code = CODE.matcher(said);
      while (code.find()) {
        codes.add(code.group(1));
      }
      List<Integer> statuses = new ArrayList<>();
      Matcher status = STATUS.matcher(said);
      while (status.find()) {
        if (status.group(1).equals("5xx")) {
          statuses.addAll(List.of(500, 502, 503, 504, 599));
        } else {
          statuses.add(Integer.parseInt(status.group(1)));
        }
      }
      rows.add(new Row(codes, statuses, kind));
    }
    return rows;
  }

  private static String mapped(String code, int status) {
    SecretsManagerException e =
        (SecretsManagerException)
            SecretsManagerException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
                .statusCode(status)
                .build();
    LatchkeyException mapped = SdkErrors.map(REF, "GetSecretValue", e, Duration.ofSeconds(5));
    return mapped instanceof SecretNotFoundException
        ? "SecretNotFoundException"
        : ((ProviderException) mapped).kind().name();
  }

  @Test
  void everyCodeAndStatusInTheTable_mapsToItsRowsKind() throws IOException {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Row row : rows()) {
      for (String code : row.codes()) {
        assertThat(mapped(code, 400)).as(code).isEqualTo(row.kind());
        checked.put(code, row.kind());
      }
      for (int status : row.statuses()) {
        assertThat(mapped(null, status)).as("HTTP " + status).isEqualTo(row.kind());
        checked.put("HTTP " + status, row.kind());
      }
    }
    // The table is read, not skipped: the rows of every outcome are there.
    assertThat(checked.values())
        .contains(
            "SecretNotFoundException",
            "ACCESS_DENIED",
            "THROTTLED",
            "UNAVAILABLE",
            "MALFORMED_RESPONSE",
            "OTHER");
  }

  @Test
  void everyCodeTheMapperKnows_isInTheTable() throws IOException {
    List<String> documented = new ArrayList<>();
    rows().forEach(row -> documented.addAll(row.codes()));

    assertThat(documented).containsAll(AwsErrors.codes());
    assertThat(documented).doesNotHaveDuplicates();
  }
}
