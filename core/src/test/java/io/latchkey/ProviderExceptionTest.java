package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ProviderException.Kind;
import io.latchkey.spi.SecretVersion;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class ProviderExceptionTest {
  private static final SecretRef REF = SecretRef.parse("aws:prod/db#password");

  @Test
  void retryable_isExactlyThrottlingUnavailabilityAndTimeout() {
    assertThat(Arrays.stream(Kind.values()).filter(Kind::isRetryable))
        .containsExactlyInAnyOrder(Kind.THROTTLED, Kind.UNAVAILABLE, Kind.TIMEOUT);
    ProviderException e = new ProviderException(REF, Kind.THROTTLED, "rate exceeded");
    assertThat(e.isRetryable()).isTrue();
    assertThat(new ProviderException(REF, Kind.ACCESS_DENIED, "x").isRetryable()).isFalse();
  }

  @Test
  void message_namesReferenceKindAndReason() {
    ProviderException e =
        new ProviderException(REF, Kind.ACCESS_DENIED, "not allowed", new RuntimeException("io"));
    assertThat(e)
        .isInstanceOf(LatchkeyException.class)
        .hasMessage("secret aws:prod/db#password: access denied: not allowed")
        .hasCauseInstanceOf(RuntimeException.class);
    assertThat(e.ref()).isEqualTo(REF);
    assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(e.reason()).isEqualTo("not allowed");
    assertThat(Kind.MALFORMED_RESPONSE.label()).isEqualTo("malformed response");
  }

  @Test
  void notFound_namesReferenceAndReason_andIsNotAProviderException() {
    SecretNotFoundException e = new SecretNotFoundException(REF, "no such secret");
    assertThat(e).hasMessage("secret aws:prod/db#password: no such secret");
    assertThat(e).isNotInstanceOf(ProviderException.class).isInstanceOf(LatchkeyException.class);
    assertThat(e.ref()).isEqualTo(REF);
    assertThat(e.reason()).isEqualTo("no such secret");
  }

  @Test
  void nulls_areRejectedByName() {
    assertThatThrownBy(() -> new ProviderException(null, Kind.OTHER, "x")).hasMessage("ref");
    assertThatThrownBy(() -> new ProviderException(REF, null, "x")).hasMessage("kind");
    assertThatThrownBy(() -> new ProviderException(REF, Kind.OTHER, null)).hasMessage("reason");
    assertThatThrownBy(() -> new SecretNotFoundException(REF, null)).hasMessage("reason");
  }

  @Test
  void secretVersion_copiesStages_andMasksItsValue() {
    Set<String> stages = new HashSet<>(Set.of("AWSCURRENT"));
    SecretVersion v =
        new SecretVersion(Secret.of("CANARY-7f3a9c"), Optional.of("v1"), stages, Instant.EPOCH);
    stages.add("AWSPENDING");
    assertThat(v.stages()).containsExactly("AWSCURRENT");
    assertThat(v.toString())
        .isEqualTo(
            "SecretVersion[value=***, versionId=v1, stages=[AWSCURRENT],"
                + " fetchedAt=1970-01-01T00:00:00Z]");
    assertThat(SecretVersion.of(Secret.of("x"), Instant.EPOCH).versionId()).isEmpty();
    assertThatThrownBy(() -> SecretVersion.of(null, Instant.EPOCH)).hasMessage("value");
    assertThatThrownBy(() -> SecretVersion.of(Secret.of("x"), "v", null)).hasMessage("fetchedAt");
  }
}
