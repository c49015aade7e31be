package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ProviderException;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.ProviderHealth.Status;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How the providers' health becomes the indicator's status and details. */
final class HealthViewTest {

  private static ProviderHealth health(String scheme, Status status) {
    return new ProviderHealth(scheme, status, Optional.empty(), Optional.empty(), 0, 0);
  }

  private static Map<String, ProviderHealth> of(ProviderHealth... each) {
    Map<String, ProviderHealth> out = new TreeMap<>();
    for (ProviderHealth h : each) {
      out.put(h.scheme(), h);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> providers(HealthView view) {
    return (Map<String, Map<String, Object>>) view.details().get("providers");
  }

  @Test
  void providerInUseThatNeverAnswered_isUnknown_neverUp() {
    HealthView view =
        HealthView.of(
            of(health("aws", Status.OK), health("vault", Status.UNKNOWN)), Set.of("aws", "vault"));
    assertThat(view.status()).isEqualTo("UNKNOWN");
    assertThat(providers(view).get("vault")).containsEntry("status", "UNKNOWN");
    assertThat(providers(view).get("aws")).containsEntry("status", "OK");
  }

  @Test
  void everyProviderInUseAnswered_isUp_andAnUnusedOneIsUnused_whatever_itsState() {
    HealthView view =
        HealthView.of(of(health("aws", Status.OK), health("env", Status.UNKNOWN)), Set.of("aws"));
    assertThat(view.status()).isEqualTo("UP");
    assertThat(providers(view).get("env")).containsExactlyEntriesOf(Map.of("status", "UNUSED"));
  }

  @Test
  void aFailureOutranksAProviderNotAnsweredYet() {
    ProviderHealth degraded =
        new ProviderHealth(
            "aws",
            Status.DEGRADED,
            Optional.of(ProviderException.Kind.UNAVAILABLE),
            Optional.of(Instant.EPOCH),
            1,
            0);
    Set<String> used = Set.of("aws", "vault");
    assertThat(HealthView.of(of(degraded, health("vault", Status.UNKNOWN)), used).status())
        .isEqualTo(HealthView.DEGRADED);
    assertThat(
            HealthView.of(of(health("aws", Status.FAILED), health("vault", Status.UNKNOWN)), used)
                .status())
        .isEqualTo("DOWN");
  }

  @Test
  void noProviderInUse_isUnknown() {
    assertThat(HealthView.of(of(health("aws", Status.UNKNOWN)), Set.of()).status())
        .isEqualTo("UNKNOWN");
  }

  @Test
  void aProviderNoPropertyNames_butThatTheResolverCalled_isInUse() {
    HealthView view = HealthView.of(of(health("aws", Status.OK)), Set.of());
    assertThat(view.status()).isEqualTo("UP");
    assertThat(view.details().toString()).contains("aws={status=OK");
  }
}
