package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.config.Config;
import io.latchkey.config.ConfigReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The actuator endpoint {@code latchkey}: the masked configuration report operators ask for, and a
 * trigger that makes a rotation reach the application now.
 *
 * <p>A read ({@code GET /actuator/latchkey}) returns, for every property written as a reference,
 * its name, where it is written, the reference, its provider's status and the version id of its
 * latest rotation; with a schema, the schema's masked report (one row per setting: source, value
 * masked for secrets and URL credentials, status); and the providers' health. It never returns a
 * secret value. A write ({@code POST /actuator/latchkey}) reads every reference once so that each
 * one due for a refresh starts it (see {@link LatchkeySecrets#refresh()}).
 *
 * @since 0.1
 */
@Endpoint(id = "latchkey")
public final class LatchkeyEndpoint {
  private final LatchkeySecrets secrets;
  private final LatchkeyRuntime runtime;
  private final Optional<Config> config;

  LatchkeyEndpoint(LatchkeySecrets secrets, LatchkeyRuntime runtime, Optional<Config> config) {
    this.secrets = requireNonNull(secrets, "secrets");
    this.runtime = requireNonNull(runtime, "runtime");
    this.config = requireNonNull(config, "config");
  }

  /**
   * Returns the masked report.
   *
   * @return {@code references}, {@code schema} (if there is one) and {@code health}; no value
   */
  @ReadOperation
  public Map<String, Object> report() {
    HealthView health = HealthView.of(secrets, runtime);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> providers =
        (Map<String, Map<String, Object>>) health.details().get("providers");
    List<Map<String, Object>> references = new ArrayList<>();
    for (ReferenceProperty p : runtime.properties()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("property", p.name());
      row.put("source", p.source());
      row.put("reference", p.ref().toString());
      Map<String, Object> provider = providers.get(p.ref().scheme());
      row.put("provider", provider == null ? "MISSING" : provider.get("status"));
      runtime.lastRotation(p.ref()).ifPresent(v -> row.put("rotatedToVersion", v));
      references.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("references", references);
    config.ifPresent(c -> out.put("schema", rows(c.report())));
    out.put("health", Map.of("status", health.status(), "providers", providers));
    return out;
  }

  /**
   * Reads every reference once, so that each one due for a refresh starts it.
   *
   * @return {@code read}: how many references were read
   */
  @WriteOperation
  public Map<String, Object> refresh() {
    return Map.of("read", secrets.refresh());
  }

  private static List<Map<String, String>> rows(ConfigReport report) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (ConfigReport.Row row : report.rows()) {
      Map<String, String> out = new LinkedHashMap<>();
      out.put("setting", row.setting());
      out.put("source", row.source());
      out.put("value", row.value());
      out.put("status", row.status());
      rows.add(out);
    }
    return rows;
  }
}
