package io.latchkey.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.jackson.JsonEncrypted;
import io.latchkey.jackson.LatchkeyModule;
import io.latchkey.jackson.NeverSerialize;
import java.io.PrintStream;

/**
 * A service's JSON with {@link LatchkeyModule}: a connector's credentials are accepted in a request
 * and never shown in a response, and an OAuth state goes to the client as an opaque token.
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am -DskipTests package exec:java -Dexec.mainClass=io.latchkey.examples.JacksonExample
 * </pre>
 */
public final class JacksonExample {

  /**
   * A connector as the API reads and writes it.
   *
   * @param name the connector's name
   * @param apiKey its credential: read from a request, written only as a mask
   * @param password never written, whatever annotation asks for it
   */
  public record Connector(String name, Secret apiKey, @NeverSerialize String password) {}

  /**
   * What the client holds between two steps of a login and sends back unchanged.
   *
   * @param provider where the login goes
   * @param state the server's state, carried encrypted
   */
  public record LoginStep(String provider, @JsonEncrypted("oauth-state") String state) {}

  private JacksonExample() {}

  /**
   * Runs the example, printing each step.
   *
   * @param args ignored
   * @throws JsonProcessingException never, for JSON made here
   */
  public static void main(String[] args) throws JsonProcessingException {
    run(System.out);
  }

  static void run(PrintStream out) throws JsonProcessingException {
    // In production: AesGcmKeyRing.fromEnvironment("APP_JSON_KEY").
    AesGcmKeyRing ring = AesGcmKeyRing.of(AesGcmKey.generate());
    ObjectMapper api =
        JsonMapper.builder().addModule(LatchkeyModule.builder().keyRing(ring).build()).build();

    String request =
        "{\"name\":\"billing\",\"apiKey\":\"sk-live-example-0123456789abcdef\",\"password\":\"p4ss-example\"}";
    Connector connector = api.readValue(request, Connector.class);
    out.println("1. request read; the key is a Secret: " + connector.apiKey());
    out.println("2. response: " + api.writeValueAsString(connector));

    String step =
        api.writeValueAsString(new LoginStep("github", "nonce=example-91f2;return=/home"));
    out.println("3. sent to the client: " + step.replaceAll("lk\\.[A-Za-z0-9_=-]+", "lk.…"));
    LoginStep back = api.readValue(step, LoginStep.class);
    out.println(
        "4. read back when the client returns: state has " + back.state().length() + " chars");

    ObjectMapper strict =
        JsonMapper.builder()
            .addModule(LatchkeyModule.builder().secrets(LatchkeyModule.SecretOutput.REFUSE).build())
            .build();
    try {
      strict.writeValueAsString(connector);
      out.println("5. a secret was written: this should not happen");
    } catch (JsonProcessingException e) {
      out.println("5. with REFUSE, writing the connector fails: " + e.getOriginalMessage());
    }
  }
}
