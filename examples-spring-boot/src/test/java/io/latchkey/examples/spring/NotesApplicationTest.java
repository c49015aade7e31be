package io.latchkey.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Starts the notes service on a random port against the loopback Secrets Manager and checks it over
 * HTTP: the providers in {@code /actuator/health}, no value in {@code /actuator/latchkey}, a
 * database password rotated in Secrets Manager reaching the pool without a restart, and a bad
 * configuration failing start-up with the list of its problems.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
final class NotesApplicationTest {
  private static final FakeSecretsManager AWS = FakeSecretsManager.start();
  private static final List<String> VALUES = new CopyOnWriteArrayList<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    putDatabasePassword("Qz7vK2mX9wL4bN8c");
    String token = "Hq3Zr8Tn5Vw1Ys6DxE4u";
    VALUES.add(token);
    AWS.putSecretString("notes/partner", "{\"token\":\"" + token + "\"}");
    // Where the provider finds the backend: the environment, in a deployment; here, system
    // properties, read before the application starts.
    AWS.environment()
        .forEach((name, value) -> System.setProperty("latchkey.environment." + name, value));
  }

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void stop() {
    AWS.environment()
        .keySet()
        .forEach(name -> System.clearProperty("latchkey.environment." + name));
    AWS.close();
  }

  @Test
  void health_showsTheProvidersInUse() throws Exception {
    JsonNode health = get("/actuator/health");
    JsonNode latchkey = health.path("components").path("latchkey");
    assertThat(latchkey.path("status").asText()).isEqualTo("UP");
    assertThat(latchkey.path("details").path("providers").path("aws").path("status").asText())
        .isEqualTo("OK");
    assertThat(latchkey.path("details").path("providers").path("env").path("status").asText())
        .isEqualTo("UNUSED");
    assertThat(health.path("status").asText()).isEqualTo("UP");
  }

  @Test
  void report_namesEveryReference_andShowsNoValue() throws Exception {
    String body = getText("/actuator/latchkey");
    JsonNode report = JSON.readTree(body);
    assertThat(report.path("references").toString())
        .contains("spring.datasource.password")
        .contains("aws:notes/db#password")
        .contains("partner.token");
    assertThat(report.path("schema").toString())
        .contains("NOTES_PAGE_SIZE")
        .contains("PARTNER_URL");
    String partner = getText("/api/partner");
    for (String value : VALUES) {
      Leaks.assertNoLeak("/actuator/latchkey", body, value);
      Leaks.assertNoLeak("/api/partner", partner, value);
    }
  }

  @Test
  void rotation_inSecretsManager_reachesThePoolWithoutARestart() throws Exception {
    post("/api/notes", "{\"text\":\"before the rotation\"}");
    int before;
    String next = "Rt" + VALUES.size() + "pW6sJ9kF2dG5hB";
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      before = session(s);
      // The rotation: the database first, then the secret, as a rotation function does.
      s.execute("ALTER USER APP SET PASSWORD '" + next + "'");
    }
    String version = putDatabasePassword(next);
    TestClock.CLOCK.advance(Duration.ofMinutes(6));

    // The explicit trigger: reads every reference, so the expired one is loaded again now.
    post("/actuator/latchkey", "{}");

    JsonNode report = get("/actuator/latchkey");
    assertThat(report.path("references").toString()).contains(version);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      // A new connection, opened with the new password: the old one was evicted.
      assertThat(session(s)).isNotEqualTo(before);
    }
    post("/api/notes", "{\"text\":\"after the rotation\"}");
    assertThat(get("/api/notes").toString())
        .contains("before the rotation")
        .contains("after the rotation");
  }

  @Test
  void badConfiguration_failsStartUp_withTheProblemList(CapturedOutput output) {
    SpringApplication app = new SpringApplication(NotesApplication.class);
    assertThatThrownBy(
            () ->
                app.run(
                    "--server.port=0",
                    "--NOTES_PAGE_SIZE=0",
                    "--partner.url=http://partner.example.com/api",
                    "--spring.datasource.url=jdbc:h2:mem:bad"))
        .isNotNull();
    assertThat(output.getOut())
        .contains("APPLICATION FAILED TO START")
        .contains("Latchkey found 2 problems")
        .contains("NOTES_PAGE_SIZE")
        .contains("PARTNER_URL");
    for (String value : VALUES) {
      Leaks.assertNoLeak("start-up output", output.getAll(), value);
    }
  }

  private static String putDatabasePassword(String password) {
    VALUES.add(password);
    return AWS.putSecretString(
        "notes/db", "{\"username\":\"app\",\"password\":\"" + password + "\"}");
  }

  private static int session(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT SESSION_ID()")) {
      r.next();
      return r.getInt(1);
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return JSON.readTree(getText(path));
  }

  private String getText(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  private void post(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
