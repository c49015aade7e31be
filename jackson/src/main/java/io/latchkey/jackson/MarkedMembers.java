package io.latchkey.jackson;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The members of a class and its supertypes that carry one of the module's annotations, read by
 * reflection: Jackson's own view of a bean leaves out what it does not see (a private field when
 * {@code INFER_PROPERTY_MUTATORS} is off) and every annotation when {@code USE_ANNOTATIONS} is off.
 */
final class MarkedMembers {
  private MarkedMembers() {}

  /**
   * Returns the property names that the marked fields, accessors and constructor parameters of
   * {@code type} imply, under both of Jackson's ways of naming an accessor's property.
   */
  static Set<String> names(Class<?> type, Class<? extends Annotation> annotation) {
    Set<String> names = new HashSet<>();
    for (Class<?> c : hierarchy(type)) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(annotation)) {
          names.add(f.getName());
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(annotation)) {
          accessorNames(m.getName(), names);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        for (Parameter p : k.getParameters()) {
          // Without -parameters a name is arg0: it names no property, and adding it is harmless.
          if (p.isAnnotationPresent(annotation) && p.isNamePresent()) {
            names.add(p.getName());
          }
        }
      }
    }
    return names;
  }

  /** Tells whether any member of {@code type} or of its supertypes carries {@code annotation}. */
  static boolean any(Class<?> type, Class<? extends Annotation> annotation) {
    for (Class<?> c : hierarchy(type)) {
      if (anyMarked(c.getDeclaredFields(), annotation)
          || anyMarked(c.getDeclaredMethods(), annotation)) {
        return true;
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (anyMarked(k.getParameters(), annotation)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean anyMarked(
      AnnotatedElement[] elements, Class<? extends Annotation> annotation) {
    for (AnnotatedElement e : elements) {
      if (e.isAnnotationPresent(annotation)) {
        return true;
      }
    }
    return false;
  }

  static void accessorNames(String method, Set<String> names) {
    names.add(method); // a record accessor, or one named by @JsonProperty
    for (String prefix : new String[] {"get", "is", "set"}) {
      if (method.length() > prefix.length() && method.startsWith(prefix)) {
        String rest = method.substring(prefix.length());
        names.add(standardBeanName(rest));
        names.add(legacyJacksonName(rest));
      }
    }
  }

  // java.beans.Introspector.decapitalize, as Jackson names it with USE_STD_BEAN_NAMING.
  private static String standardBeanName(String rest) {
    if (rest.length() > 1
        && Character.isUpperCase(rest.charAt(0))
        && Character.isUpperCase(rest.charAt(1))) {
      return rest;
    }
    return Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
  }

  // Jackson's default: every leading upper-case letter lowered (getURL is "url").
  private static String legacyJacksonName(String rest) {
    int i = 0;
    while (i < rest.length() && Character.isUpperCase(rest.charAt(i))) {
      i++;
    }
    return rest.substring(0, i).toLowerCase(Locale.ROOT) + rest.substring(i);
  }

  private static Set<Class<?>> hierarchy(Class<?> type) {
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (c == Object.class || !seen.add(c)) {
        continue;
      }
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      todo.addAll(List.of(c.getInterfaces()));
    }
    return seen;
  }
}
