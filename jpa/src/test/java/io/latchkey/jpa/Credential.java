package io.latchkey.jpa;

import io.latchkey.Secret;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** An entity with every kind of {@link Encrypted} attribute, the API key bound to its row. */
@Entity
@Table(name = "credentials")
class Credential {
  @Id UUID id;

  @Column(name = "name")
  String name;

  @Encrypted(boundToId = true)
  @Column(name = "api_key", length = 512)
  Secret apiKey;

  @Encrypted
  @Column(name = "note", length = 512)
  String note;

  @Encrypted
  @Column(name = "blob", length = 512)
  byte[] blob;

  Credential() {}

  Credential(UUID id, String name, Secret apiKey, String note, byte[] blob) {
    this.id = id;
    this.name = name;
    this.apiKey = apiKey;
    this.note = note;
    this.blob = blob;
  }
}
