package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.provider.vault.testing.FakeVault.Failure;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A denied metadata read is a condition to check again after a back-off on the provider's clock,
 * not a switch that turns version checks off for the provider's life.
 */
final class MetadataDenialTest {
  private static final SecretRef APP = ref("vault:secret/data/app#k");
  private static final String METADATA = "/v1/secret/metadata/app";

  private FakeVault vault;
  private MutableClock clock;
  private VaultSecretProvider provider;

  @BeforeEach
  void start() {
    vault = FakeVault.start();
    vault.putKv2("secret", "app", Map.of("k", "v"));
    clock = new MutableClock();
    provider =
        VaultSecretProvider.builder()
            .address(vault.address())
            .token(Secret.of(vault.rootToken()))
            .clock(clock)
            .build();
  }

  @AfterEach
  void stop() {
    provider.close();
    vault.close();
  }

  @Test
  void oneDenial_versionChecksResume_afterTheBackOff() {
    vault.fail(Failure.PERMISSION_DENIED, METADATA, 1);
    assertThat(provider.currentVersionId(APP)).as("denied: fetch the value instead").isEmpty();
    assertThat(provider.currentVersionId(APP)).as("within the back-off").isEmpty();
    assertThat(vault.requests(METADATA)).as("not asked again within the back-off").isEqualTo(1);

    clock.advance(Kv.FIRST_DENIAL_PAUSE);
    assertThat(provider.currentVersionId(APP)).as("after the back-off").contains("1");
    assertThat(provider.currentVersionId(APP)).contains("1");
    assertThat(vault.requests(METADATA)).isEqualTo(3);
  }

  @Test
  void repeatedDenials_doubleTheBackOff_upToTheLongest_thenAnAllowedReadStartsOver() {
    vault.fail(Failure.PERMISSION_DENIED, METADATA, -1);
    assertThat(provider.currentVersionId(APP)).isEmpty();
    Duration wait = Kv.FIRST_DENIAL_PAUSE;
    for (int denial = 2; denial <= 10; denial++) {
      clock.advance(wait.minusMillis(1));
      assertThat(provider.currentVersionId(APP)).isEmpty();
      assertThat(vault.requests(METADATA)).as("still waiting").isEqualTo(denial - 1);
      clock.advance(Duration.ofMillis(1));
      assertThat(provider.currentVersionId(APP)).isEmpty();
      assertThat(vault.requests(METADATA)).as("asked again").isEqualTo(denial);
      wait =
          wait.multipliedBy(2).compareTo(Kv.LONGEST_DENIAL_PAUSE) > 0
              ? Kv.LONGEST_DENIAL_PAUSE
              : wait.multipliedBy(2);
    }
    assertThat(wait).isEqualTo(Kv.LONGEST_DENIAL_PAUSE);

    vault.clearFailures();
    clock.advance(wait);
    assertThat(provider.currentVersionId(APP)).contains("1");
    vault.fail(Failure.PERMISSION_DENIED, METADATA, 1);
    assertThat(provider.currentVersionId(APP)).isEmpty();
    long asked = vault.requests(METADATA);
    clock.advance(Kv.FIRST_DENIAL_PAUSE);
    assertThat(provider.currentVersionId(APP)).as("the first wait again").contains("1");
    assertThat(vault.requests(METADATA)).isEqualTo(asked + 1);
  }

  @Test
  void denial_doesNotStopFetches() {
    vault.fail(Failure.PERMISSION_DENIED, METADATA, -1);
    assertThat(provider.currentVersionId(APP)).isEmpty();
    assertThat(provider.fetch(APP).value().reveal()).isEqualTo("v");
  }
}
