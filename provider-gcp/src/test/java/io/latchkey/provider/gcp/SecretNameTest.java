package io.latchkey.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import org.junit.jupiter.api.Test;

/** How references become resource names, and how resolved names are checked. */
final class SecretNameTest {

  private static SecretName name(String ref) {
    return SecretName.of(SecretRef.parse(ref), "default-project");
  }

  @Test
  void versionName_forEveryForm() {
    assertThat(name("gcp:db").versionName())
        .isEqualTo("projects/default-project/secrets/db/versions/latest");
    assertThat(name("gcp:db@3").versionName())
        .isEqualTo("projects/default-project/secrets/db/versions/3");
    assertThat(name("gcp:projects/p/secrets/db").versionName())
        .isEqualTo("projects/p/secrets/db/versions/latest");
    assertThat(name("gcp:projects/p/secrets/db/versions/prod#field").versionName())
        .isEqualTo("projects/p/secrets/db/versions/prod");
    assertThat(name("gcp:projects/example.com:p/locations/us-east1/secrets/db@2").versionName())
        .isEqualTo("projects/example.com:p/locations/us-east1/secrets/db/versions/2");
  }

  @Test
  void kind_saysWhatTheVersionIs() {
    assertThat(name("gcp:db").kind()).isEqualTo(SecretName.Kind.LATEST);
    assertThat(name("gcp:db@12").kind()).isEqualTo(SecretName.Kind.NUMBER);
    assertThat(name("gcp:db@prod_2").kind()).isEqualTo(SecretName.Kind.ALIAS);
  }

  @Test
  void versionNumberIn_acceptsTheSameSecretUnderTheProjectNumber() {
    assertThat(name("gcp:db").versionNumberIn("projects/123/secrets/db/versions/7")).contains("7");
    assertThat(name("gcp:db@7").versionNumberIn("projects/default-project/secrets/db/versions/7"))
        .contains("7");
    assertThat(
            name("gcp:projects/p/locations/us-east1/secrets/db")
                .versionNumberIn("projects/9/locations/us-east1/secrets/db/versions/1"))
        .contains("1");
  }

  @Test
  void versionNumberIn_comparesTheProject_whenBothNamesGiveItTheSameWay() {
    SecretName byNumber = name("gcp:projects/111111111111/secrets/db");
    assertThat(byNumber.versionNumberIn("projects/111111111111/secrets/db/versions/7"))
        .contains("7");
    assertThat(byNumber.versionNumberIn("projects/999999999999/secrets/db/versions/7")).isEmpty();
    SecretName byId = name("gcp:projects/my-project/secrets/db");
    assertThat(byId.versionNumberIn("projects/my-project/secrets/db/versions/7")).contains("7");
    assertThat(byId.versionNumberIn("projects/other-project/secrets/db/versions/7")).isEmpty();
    assertThat(name("gcp:db").versionNumberIn("projects/other-project/secrets/db/versions/7"))
        .isEmpty();
    assertThat(
            name("gcp:projects/9/locations/us-east1/secrets/db")
                .versionNumberIn("projects/8/locations/us-east1/secrets/db/versions/1"))
        .isEmpty();
  }

  @Test
  void versionNumberIn_acceptsAProjectNumberForAnIdAndTheOtherWayRound_whichCannotBeCompared() {
    assertThat(
            name("gcp:projects/my-project/secrets/db")
                .versionNumberIn("projects/999999999999/secrets/db/versions/7"))
        .contains("7");
    assertThat(
            name("gcp:projects/111111111111/secrets/db")
                .versionNumberIn("projects/my-project/secrets/db/versions/7"))
        .contains("7");
  }

  @Test
  void versionNumberIn_rejectsAnythingElse() {
    SecretName latest = name("gcp:db");
    assertThat(latest.versionNumberIn("projects/1/secrets/other/versions/7")).isEmpty();
    assertThat(latest.versionNumberIn("projects/1/secrets/db/versions/latest")).isEmpty();
    assertThat(latest.versionNumberIn("projects/1/secrets/db")).isEmpty();
    assertThat(latest.versionNumberIn("projects/1/locations/x/secrets/db/versions/7")).isEmpty();
    assertThat(latest.versionNumberIn("")).isEmpty();
    assertThat(name("gcp:db@7").versionNumberIn("projects/1/secrets/db/versions/8")).isEmpty();
  }
}
