package io.latchkey.examples;

import io.latchkey.SecretRef;
import io.latchkey.config.Config;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link ProviderClassLoadingTest}: does what an application on the env
 * provider does at start-up, with every provider module on the class path, so that the JVM's class
 * loading log shows what was loaded.
 */
public final class ClassLoadingProbe {
  private ClassLoadingProbe() {}

  /**
   * {@code env}: select the default provider, load the quickstart schema through it with a {@code
   * ${ref:...}} setting, resolve and prefetch env references through a resolver that discovered
   * every provider. {@code aws}, {@code gcp}, {@code vault}: additionally create that provider (the
   * control: its SDK classes must then show up in the log).
   */
  public static void main(String[] args) {
    Map<String, String> env = new HashMap<>();
    env.put("LATCHKEY_ENV_FILE", "none");
    env.put("APP_ENCRYPTION_KEY", "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    env.put("JWT_SECRET_KEY", "${ref:env:JWT_SOURCE}");
    env.put("JWT_SOURCE", "0123456789abcdef0123456789abcdef");
    env.put("POSTGRES_PASSWORD", "pw");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "not-a-real-key");
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9");
    env.put("GOOGLE_CLOUD_PROJECT", "probe");
    env.put("LATCHKEY_GCP_ENDPOINT", "127.0.0.1:9");
    env.put("LATCHKEY_GCP_PLAINTEXT", "true");
    env.put("VAULT_ADDR", "http://127.0.0.1:9");
    env.put("VAULT_TOKEN", "probe-token");
    try (SecretProvider provider = SecretProviders.select(env);
        SecretResolver resolver = SecretResolver.builder().discoverProviders(env).build()) {
      Config config = QuickstartSettings.SCHEMA.load(new ResolvingConfigSource(provider, resolver));
      resolver.prefetch(
          List.of(SecretRef.parse("JWT_SOURCE"), SecretRef.parse("env:POSTGRES_PASSWORD")));
      System.out.println("loaded " + config.report().rows().size() + " settings");
      if (args.length > 0 && !args[0].equals("env")) {
        try (SecretProvider cloud = SecretProviders.create(args[0], env)) {
          System.out.println("created " + cloud.name());
        }
      }
    }
  }
}
