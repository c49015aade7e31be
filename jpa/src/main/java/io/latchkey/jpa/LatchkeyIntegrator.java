package io.latchkey.jpa;

import io.latchkey.KeyRing;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.MappingException;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.model.TypeContributions;
import org.hibernate.boot.model.TypeContributor;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.OptimisticLockStyle;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.BasicValue;
import org.hibernate.mapping.Component;
import org.hibernate.mapping.KeyValue;
import org.hibernate.mapping.PersistentClass;
import org.hibernate.mapping.Property;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.CustomType;
import org.hibernate.type.descriptor.converter.spi.JpaAttributeConverter;

/**
 * Connects Latchkey's encrypted attributes to a Hibernate {@code SessionFactory}; Hibernate finds
 * it through {@link java.util.ServiceLoader}, and applications never call it.
 *
 * <p>As a type contributor, it tells Hibernate that {@link io.latchkey.Secret} is an immutable
 * value that compares by content, and that has no column type unless it is encrypted.
 *
 * <p>When a session factory starts, it gives every {@link Encrypted} attribute and every {@link
 * EncryptedConverter} of the unit the ring under {@link LatchkeyJpa#KEY_RING}, registers the events
 * that bind values to their row and tell entity writes from query parameters, and refuses what
 * cannot work: an encrypted attribute inside an embeddable, in an entity kept in the second-level
 * cache (where it would be a plaintext), compared by {@code @OptimisticLocking(type = ALL or
 * DIRTY)}, bound to a composite or ambiguous id, or with no key ring anywhere, or one that would
 * drop its associated data.
 *
 * @since 0.1
 */
// Its signature is Hibernate's SPI, from a module this one reads only when Hibernate is there.
@SuppressWarnings("exports")
public final class LatchkeyIntegrator implements Integrator, TypeContributor {
  /** Id types whose {@code toString()} tells every two ids apart. */
  private static final Set<Class<?>> TEXTUAL_IDS =
      Set.of(
          Long.class,
          long.class,
          Integer.class,
          int.class,
          Short.class,
          short.class,
          Byte.class,
          byte.class,
          BigInteger.class,
          String.class,
          UUID.class);

  /** Creates the integrator; Hibernate calls this. */
  public LatchkeyIntegrator() {}

  /**
   * Contributes the description of {@link io.latchkey.Secret} as an attribute type.
   *
   * @param contributions where types are contributed
   * @param serviceRegistry the unit's services
   */
  @Override
  public void contribute(TypeContributions contributions, ServiceRegistry serviceRegistry) {
    contributions.contributeJavaType(SecretJavaType.INSTANCE);
  }

  /**
   * Binds the unit's encrypted attributes to its key ring and registers their events.
   *
   * @param metadata the unit's mapping
   * @param bootstrapContext the bootstrap context, for the unit's properties
   * @param sessionFactory the session factory being built
   * @throws MappingException if an encrypted attribute is mapped in a way that cannot work
   * @throws IllegalStateException if there are encrypted attributes but no key ring
   */
  @Override
  public void integrate(
      Metadata metadata,
      BootstrapContext bootstrapContext,
      SessionFactoryImplementor sessionFactory) {
    Map<String, List<RowBinding.Column>> byEntity = new HashMap<>();
    for (PersistentClass entity : metadata.getEntityBindings()) {
      List<RowBinding.Column> columns = new ArrayList<>();
      for (Property p : entity.getPropertyClosure()) {
        if (p.getValue() instanceof Component component) {
          refuseInside(entity, p.getName(), component);
        } else if (p.getValue() instanceof BasicValue value) {
          RowBinding.Column c = column(value, p.getName());
          if (c != null) {
            refuseLocking(entity, p);
            if (c.isBoundToId()) {
              refuseAmbiguousId(entity, p.getName());
            }
            columns.add(c);
          }
        }
      }
      if (columns.isEmpty()) {
        continue;
      }
      if (entity.getRootClass().isCached()) {
        throw new MappingException(
            entity.getEntityName()
                + " has encrypted attributes and is kept in the second-level cache, which would"
                + " hold their plaintexts: remove @Cache/@Cacheable from it");
      }
      byEntity.put(entity.getEntityName(), columns);
    }
    if (byEntity.isEmpty()) {
      return;
    }
    KeyRing ring = ring(bootstrapContext);
    // Without a ring of its own, the unit uses the registered one from its first query on; check
    // it now, so that a ring that cannot serve a column fails the start-up, not a request.
    KeyRing registered = ring == null ? LatchkeyJpa.registered().orElse(null) : null;
    for (List<RowBinding.Column> columns : byEntity.values()) {
      for (RowBinding.Column c : columns) {
        ColumnCipher cipher =
            c.type() != null ? c.type().cipher() : ((EncryptedConverter<?>) c.handle()).cipher();
        if (registered != null) {
          cipher.checkFallback(registered);
        }
        if (c.type() != null) {
          if (ring != null) {
            cipher.bind(ring);
          }
        } else {
          ((EncryptedConverter<?>) c.handle()).bindToHibernate(ring);
        }
      }
    }
    RowBinding binding = new RowBinding(byEntity);
    EventListenerRegistry events =
        sessionFactory.getServiceRegistry().requireService(EventListenerRegistry.class);
    events.appendListeners(EventType.PRE_INSERT, binding);
    events.appendListeners(EventType.PRE_UPDATE, binding);
    events.appendListeners(EventType.PRE_LOAD, binding);
    events.appendListeners(EventType.POST_INSERT, binding);
    events.appendListeners(EventType.POST_UPDATE, binding);
  }

  /**
   * Refuses an encrypted attribute that {@code @OptimisticLocking(type = ALL or DIRTY)} would put
   * in the WHERE clause of its entity's UPDATE and DELETE: the old token would be bound as a query
   * parameter, which is refused, so every such write would fail.
   */
  private static void refuseLocking(PersistentClass entity, Property p) {
    OptimisticLockStyle style = entity.getOptimisticLockStyle();
    if (style.isAllOrDirty() && p.isOptimisticLocked()) {
      throw new MappingException(
          entity.getEntityName()
              + "."
              + p.getName()
              + " is encrypted, and its entity uses @OptimisticLocking(type = "
              + style
              + "), which compares the attribute's stored value in the WHERE clause of every"
              + " UPDATE and DELETE; an encrypted value cannot be compared in a query (each"
              + " encryption of a value differs): use a @Version attribute, or exclude this one"
              + " with @OptimisticLock(excluded = true)");
    }
  }

  /**
   * Refuses a row-bound attribute whose entity's id has no unambiguous text: the associated data
   * holds the id's {@code toString()}, and two ids that print alike (a composite key without {@code
   * toString()}, a record whose parts contain its separators) would let one row's token decrypt in
   * the other.
   */
  private static void refuseAmbiguousId(PersistentClass entity, String attribute) {
    KeyValue id = entity.getIdentifier();
    String problem = null;
    if (id instanceof Component) {
      problem = "a composite id (@EmbeddedId or @IdClass)";
    } else if (!TEXTUAL_IDS.contains(id.getType().getReturnedClass())) {
      problem = "an id of type " + id.getType().getReturnedClass().getName();
    }
    if (problem != null) {
      throw new MappingException(
          entity.getEntityName()
              + "."
              + attribute
              + " is bound to the row id, but its entity has "
              + problem
              + ", whose text does not tell every two ids apart; a row-bound attribute needs a"
              + " single id of type Long, Integer, Short, Byte, BigInteger, String or UUID:"
              + " give the entity such an id, or drop boundToId");
    }
  }

  private static KeyRing ring(BootstrapContext bootstrapContext) {
    Object configured =
        bootstrapContext
            .getServiceRegistry()
            .requireService(ConfigurationService.class)
            .getSettings()
            .get(LatchkeyJpa.KEY_RING);
    if (configured instanceof KeyRing ring) {
      return ring;
    }
    if (configured != null) {
      throw new IllegalStateException(
          LatchkeyJpa.KEY_RING
              + " must hold a KeyRing object (an AesGcmKeyRing, say), not a "
              + configured.getClass().getSimpleName());
    }
    if (LatchkeyJpa.registered().isEmpty()) {
      throw new IllegalStateException(
          "the persistence unit has encrypted attributes but no key ring: put one in its"
              + " properties under "
              + LatchkeyJpa.KEY_RING
              + ", or call LatchkeyJpa.register(ring) first (see docs/jpa-and-jackson.md)");
    }
    return null;
  }

  private static RowBinding.Column column(BasicValue value, String attribute) {
    if (value.getType() instanceof CustomType<?> custom
        && custom.getUserType() instanceof EncryptedType type) {
      if (value.getColumnSpan() != 1 || value.getColumns().size() != 1) {
        throw new MappingException(
            "@Encrypted attribute " + attribute + " must be mapped to exactly one column");
      }
      if (type.cipher() == null) {
        type.configure(value.getTable().getName(), value.getColumns().get(0).getName());
      }
      return new RowBinding.Column(attribute, type, type);
    }
    var descriptor = value.getJpaAttributeConverterDescriptor();
    if (descriptor == null
        || !EncryptedConverter.class.isAssignableFrom(descriptor.getAttributeConverterClass())) {
      return null;
    }
    if (value.resolve().getValueConverter() instanceof JpaAttributeConverter<?, ?> converter
        && converter.getConverterBean().getBeanInstance() instanceof EncryptedConverter<?> c) {
      return new RowBinding.Column(attribute, c, null);
    }
    return null;
  }

  private static void refuseInside(PersistentClass entity, String path, Component component) {
    for (Property p : component.getProperties()) {
      String name = path + "." + p.getName();
      if (p.getValue() instanceof Component inner) {
        refuseInside(entity, name, inner);
      } else if (p.getValue() instanceof BasicValue value && column(value, name) != null) {
        throw new MappingException(
            entity.getEntityName()
                + "."
                + name
                + " is encrypted inside an embeddable, which is not supported: map it on the"
                + " entity itself");
      }
    }
  }
}
