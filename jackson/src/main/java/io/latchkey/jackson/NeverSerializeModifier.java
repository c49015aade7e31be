package io.latchkey.jackson;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Drops every property that carries {@link NeverSerialize} on any of its accessors from the
 * properties Jackson would write, after Jackson has decided what to write: so that no {@code
 * JsonProperty}, visibility setting or mix-in brings it back.
 */
final class NeverSerializeModifier extends BeanSerializerModifier {
  private static final long serialVersionUID = 1L;

  @Override
  public List<BeanPropertyWriter> changeProperties(
      SerializationConfig config, BeanDescription beanDesc, List<BeanPropertyWriter> writers) {
    // Jackson's properties hold only the accessors it kept: with INFER_PROPERTY_MUTATORS off, a
    // marked private field behind a public getter is gone from them, so the class is read too.
    Set<String> marked = MarkedMembers.names(beanDesc.getBeanClass(), NeverSerialize.class);
    Set<String> never = new HashSet<>();
    for (BeanPropertyDefinition p : beanDesc.findProperties()) {
      if (marked.contains(p.getInternalName())
          || marked(p.getField())
          || marked(p.getGetter())
          || marked(p.getSetter())
          || marked(p.getConstructorParameter())) {
        never.add(p.getName());
        never.add(p.getInternalName());
      }
    }
    for (Iterator<BeanPropertyWriter> it = writers.iterator(); it.hasNext(); ) {
      BeanPropertyWriter w = it.next();
      if (never.contains(w.getName()) || marked(w.getMember())) {
        it.remove();
      }
    }
    return writers;
  }

  /**
   * Refuses a class whose {@code @JsonValue} (or {@code @JsonAnyGetter}) is a marked property, the
   * mark on its field or any other accessor: Jackson writes those outside the properties, which
   * {@link #changeProperties} drops it from.
   */
  @Override
  public JsonSerializer<?> modifySerializer(
      SerializationConfig config, BeanDescription beanDesc, JsonSerializer<?> serializer) {
    String member = markedOutside(beanDesc, beanDesc.findJsonValueAccessor());
    if (member == null) {
      member = markedOutside(beanDesc, beanDesc.findAnyGetter());
    }
    return member == null ? serializer : Refusing.neverSerialize(member);
  }

  /**
   * The same for a class written as a map key, through its {@code @JsonKey} or {@code @JsonValue}.
   */
  @Override
  public JsonSerializer<?> modifyKeySerializer(
      SerializationConfig config,
      JavaType valueType,
      BeanDescription beanDesc,
      JsonSerializer<?> serializer) {
    String member = markedOutside(beanDesc, beanDesc.findJsonKeyAccessor());
    if (member == null) {
      member = markedOutside(beanDesc, beanDesc.findJsonValueAccessor());
    }
    return member == null ? serializer : Refusing.neverSerialize(member);
  }

  /** The accessor's name if it, or the property it reads, is marked; null otherwise. */
  private static String markedOutside(BeanDescription beanDesc, AnnotatedMember accessor) {
    if (accessor == null) {
      return null;
    }
    if (marked(accessor)) {
      return accessor.getName();
    }
    Set<String> names = new HashSet<>();
    MarkedMembers.accessorNames(accessor.getName(), names);
    names.retainAll(MarkedMembers.names(beanDesc.getBeanClass(), NeverSerialize.class));
    return names.isEmpty() ? null : accessor.getName();
  }

  // Through Jackson's annotations too, for a mark that a mix-in adds.
  private static boolean marked(AnnotatedMember member) {
    return member != null && member.hasAnnotation(NeverSerialize.class);
  }
}
