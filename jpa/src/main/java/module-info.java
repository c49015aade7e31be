/**
 * Encrypted entity attributes for Jakarta Persistence, with Hibernate ORM 7 integration; see {@link
 * io.latchkey.jpa.Encrypted} and {@link io.latchkey.jpa.LatchkeyJpa}.
 *
 * <p>Hibernate is optional: the converters need only the Jakarta Persistence API.
 */
// Hibernate's jar is an automatic module, and LatchkeyIntegrator's signature shows its types: both
// are what an optional integration with it looks like.
@SuppressWarnings({"requires-automatic", "exports"})
module io.latchkey.jpa {
  requires transitive io.latchkey.crypto;
  requires transitive jakarta.persistence;
  // Only Encrypted and the integrator use Hibernate; without it they are never loaded.
  requires static org.hibernate.orm.core;
  requires static org.hibernate.models;
  requires static java.naming;

  exports io.latchkey.jpa;

  // Hibernate instantiates the type behind @Encrypted, and the mutability plans, reflectively.
  opens io.latchkey.jpa to
      org.hibernate.orm.core;

  provides org.hibernate.integrator.spi.Integrator with
      io.latchkey.jpa.LatchkeyIntegrator;
  provides org.hibernate.boot.model.TypeContributor with
      io.latchkey.jpa.LatchkeyIntegrator;
}
