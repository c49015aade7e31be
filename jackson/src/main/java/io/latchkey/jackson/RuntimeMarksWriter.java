package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.util.NameTransformer;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;

/**
 * A property of a class that a value of another class may be written as: through an interface, an
 * abstract class or a superclass ({@code writerFor}, a declared type under static typing, {@code
 * JsonSerialize(as = …)}), Jackson writes the properties of the type it was told, and the marks the
 * value's own class puts on them would go unseen. At each write of a value whose class is not the
 * one the serializer was made for, that class is read: a property it marks {@link NeverSerialize}
 * is left out, and one it marks {@link JsonEncrypted} that the serializer would write as it is is
 * refused. A value of the class itself costs one comparison of classes.
 *
 * <p>It wraps the writer it checks, as Jackson's own view filter does, so that the checks of the
 * other modifiers (the writer it wraps may be a {@link SecretGuardWriter}) stay in force.
 */
final class RuntimeMarksWriter extends BeanPropertyWriter {
  private static final long serialVersionUID = 1L;

  /** The names each class's marks imply, read once per class. */
  private static final ClassValue<Marks> MARKS =
      new ClassValue<>() {
        @Override
        protected Marks computeValue(Class<?> type) {
          return new Marks(
              MarkedMembers.names(type, NeverSerialize.class),
              MarkedMembers.names(type, JsonEncrypted.class));
        }
      };

  private record Marks(Set<String> never, Set<String> encrypted) {}

  private final BeanPropertyWriter delegate;
  private final Class<?> declared;
  private final Set<String> names;

  private RuntimeMarksWriter(BeanPropertyWriter delegate, Class<?> declared, Set<String> names) {
    super(delegate);
    this.delegate = delegate;
    this.declared = declared;
    this.names = names;
  }

  /** Whether the value's own class marks this property, and how; {@code null} when it does not. */
  private Class<?> marking(Object bean, boolean never) {
    Class<?> runtime = bean.getClass();
    if (runtime == declared) {
      return null;
    }
    Marks marks = MARKS.get(runtime);
    Set<String> marked = never ? marks.never() : marks.encrypted();
    for (String name : names) {
      if (marked.contains(name)) {
        return runtime;
      }
    }
    return null;
  }

  /** Refuses a property the value's class encrypts, unless this writer writes a token too. */
  private void refuseIfEncryptedThere(Object bean, JsonGenerator gen) throws JsonMappingException {
    Class<?> marker = marking(bean, false);
    if (marker != null && !(delegate.getSerializer() instanceof EncryptedProperty.Serializer)) {
      throw JsonMappingException.from(
          gen,
          marker.getName()
              + " marks property "
              + getName()
              + " @JsonEncrypted, but it is being written as "
              + declared.getName()
              + ", which writes that property as it is: write the value as its own class");
    }
  }

  @Override
  public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider prov)
      throws Exception {
    if (marking(bean, true) != null) {
      return;
    }
    refuseIfEncryptedThere(bean, gen);
    delegate.serializeAsField(bean, gen, prov);
  }

  @Override
  public void serializeAsElement(Object bean, JsonGenerator gen, SerializerProvider prov)
      throws Exception {
    if (marking(bean, true) != null) {
      // In an array-shaped bean every position is written: an omitted one as null.
      delegate.serializeAsPlaceholder(bean, gen, prov);
      return;
    }
    refuseIfEncryptedThere(bean, gen);
    delegate.serializeAsElement(bean, gen, prov);
  }

  @Override
  public BeanPropertyWriter rename(NameTransformer transformer) {
    return new RuntimeMarksWriter(delegate.rename(transformer), declared, names);
  }

  @Override
  public void assignSerializer(JsonSerializer<Object> ser) {
    delegate.assignSerializer(ser);
  }

  @Override
  public void assignNullSerializer(JsonSerializer<Object> nullSer) {
    delegate.assignNullSerializer(nullSer);
  }

  @Override
  public void depositSchemaProperty(JsonObjectFormatVisitor v, SerializerProvider provider)
      throws JsonMappingException {
    delegate.depositSchemaProperty(v, provider);
  }

  /**
   * Wraps every property of a class that values of other classes may be written as; registered
   * first, so that it runs last (Jackson runs the modifiers registered later first) and wraps what
   * the others left.
   */
  static final class Modifier extends BeanSerializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public List<BeanPropertyWriter> changeProperties(
        SerializationConfig config, BeanDescription beanDesc, List<BeanPropertyWriter> writers) {
      Class<?> type = beanDesc.getBeanClass();
      if (java.lang.reflect.Modifier.isFinal(type.getModifiers()) || type.isArray()) {
        return writers;
      }
      List<BeanPropertyDefinition> properties = beanDesc.findProperties();
      for (ListIterator<BeanPropertyWriter> it = writers.listIterator(); it.hasNext(); ) {
        BeanPropertyWriter w = it.next();
        it.set(new RuntimeMarksWriter(w, type, names(w, properties)));
      }
      return writers;
    }

    /** The names a mark on any of the property's members could go by. */
    private static Set<String> names(
        BeanPropertyWriter w, List<BeanPropertyDefinition> properties) {
      Set<String> names = new HashSet<>();
      names.add(w.getName());
      for (BeanPropertyDefinition p : properties) {
        if (p.getName().equals(w.getName())) {
          names.add(p.getInternalName());
        }
      }
      AnnotatedMember member = w.getMember();
      if (member instanceof AnnotatedField) {
        names.add(member.getName());
      } else if (member instanceof AnnotatedMethod) {
        MarkedMembers.accessorNames(member.getName(), names);
      }
      return Set.copyOf(names);
    }
  }
}
