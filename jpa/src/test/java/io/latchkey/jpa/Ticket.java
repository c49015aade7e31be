package io.latchkey.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Entities whose ids are generated, and mappings that are refused. */
final class Ticket {
  private Ticket() {}

  /** The id comes from the database on insert: too late for a row-bound value. */
  @Entity
  @Table(name = "identity_tickets")
  static class ByIdentity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Encrypted(boundToId = true)
    @Column(name = "code", length = 512)
    String code;
  }

  /** The id comes from a sequence before the insert: row-bound values work. */
  @Entity
  @Table(name = "sequence_tickets")
  static class BySequence {
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE)
    Long id;

    @Encrypted(boundToId = true)
    @Column(name = "code", length = 512)
    String code;
  }

  @Embeddable
  static class Contact {
    @Encrypted
    @Column(name = "phone", length = 512)
    String phone;
  }

  /** An encrypted attribute inside an embeddable. */
  @Entity
  @Table(name = "customers")
  static class Customer {
    @Id Long id;

    @Embedded Contact contact;
  }

  /** A secret stored as it is. */
  @Entity
  @Table(name = "plain_secrets")
  static class PlainSecret {
    @Id Long id;

    @Column(name = "value")
    io.latchkey.Secret value;
  }
}
