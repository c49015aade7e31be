package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReferenceProperty's hand-written equality is the record's: every component counts. */
final class ReferencePropertyTest {

  @Test
  void equalWhenEveryComponentIs_andDifferentWhenAnyIsNot() {
    SecretRef ref = SecretRef.parse("aws:prod/db#password");
    ReferenceProperty p = new ReferenceProperty("db.password", "DB_PASSWORD", "env", ref);
    ReferenceProperty same =
        new ReferenceProperty("db.password", "DB_PASSWORD", "env", SecretRef.parse(ref.toString()));
    assertThat(p).isEqualTo(same).hasSameHashCodeAs(same);
    for (ReferenceProperty other :
        List.of(
            new ReferenceProperty("db.pass", "DB_PASSWORD", "env", ref),
            new ReferenceProperty("db.password", "DB_PASS", "env", ref),
            new ReferenceProperty("db.password", "DB_PASSWORD", "file", ref),
            new ReferenceProperty(
                "db.password", "DB_PASSWORD", "env", SecretRef.parse("aws:prod/db#user")))) {
      assertThat(p).isNotEqualTo(other);
    }
    assertThat(p).isNotEqualTo("db.password");
    assertThat(p.toString())
        .isEqualTo(
            "ReferenceProperty[name=db.password, rawName=DB_PASSWORD, source=env,"
                + " ref=aws:prod/db#password]");
  }
}
