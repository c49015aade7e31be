package io.latchkey.jpa;

/** The scenarios on an in-memory H2 database. */
final class H2EncryptedAttributeTest extends EncryptedAttributeScenarios {
  @Override
  String url() {
    return "jdbc:h2:mem:latchkey-jpa;DB_CLOSE_DELAY=-1";
  }

  @Override
  String user() {
    return "sa";
  }
}
