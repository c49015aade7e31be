package io.latchkey.jpa;

import io.latchkey.Secret;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

/**
 * An entity whose encrypted attributes use the portable converters, one subclass per column; its
 * updates write only the columns that changed.
 */
@Entity
@DynamicUpdate
@Table(name = "webhooks")
class Webhook {
  @Id Long id;

  @Column(name = "target")
  String target;

  @Convert(converter = SigningSecretColumn.class)
  @Column(name = "signing_secret", length = 512)
  Secret signingSecret;

  @Convert(converter = HeaderColumn.class)
  @Column(name = "header", length = 512)
  String header;

  @Convert(converter = PayloadColumn.class)
  @Column(name = "payload", length = 512)
  byte[] payload;

  Webhook() {}

  Webhook(Long id, String target, Secret signingSecret, String header, byte[] payload) {
    this.id = id;
    this.target = target;
    this.signingSecret = signingSecret;
    this.header = header;
    this.payload = payload;
  }

  @Converter
  static final class SigningSecretColumn extends EncryptedSecretConverter {
    SigningSecretColumn() {
      super("webhooks", "signing_secret");
    }
  }

  @Converter
  static final class HeaderColumn extends EncryptedStringConverter {
    HeaderColumn() {
      super("webhooks", "header");
    }
  }

  @Converter
  static final class PayloadColumn extends EncryptedBytesConverter {
    PayloadColumn() {
      super("webhooks", "payload");
    }
  }
}
