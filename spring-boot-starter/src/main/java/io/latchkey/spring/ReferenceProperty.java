package io.latchkey.spring;

import io.latchkey.SecretRef;

/**
 * A property whose effective value is a secret reference: what the starter resolves, reports and
 * names in its problems. Holds no value.
 *
 * @param name the property's name as Spring binds it, such as {@code spring.datasource.password}
 * @param rawName the name as its source spells it, such as {@code SPRING_DATASOURCE_PASSWORD}
 * @param source where the reference is written: the origin Spring tracks (a file and line), or the
 *     property source's name
 * @param ref the reference
 */
record ReferenceProperty(String name, String rawName, String source, SecretRef ref) {

  // equals, hashCode and toString are written out: the generated ones link through invokedynamic
  // at their first call, which costs about 10 ms in a fresh JVM, on the start-up path (the starter
  // keys its maps by property).

  @Override
  public boolean equals(Object o) {
    return o instanceof ReferenceProperty p
        && name.equals(p.name)
        && rawName.equals(p.rawName)
        && source.equals(p.source)
        && ref.equals(p.ref);
  }

  @Override
  public int hashCode() {
    return ((name.hashCode() * 31 + rawName.hashCode()) * 31 + source.hashCode()) * 31
        + ref.hashCode();
  }

  @Override
  public String toString() {
    return "ReferenceProperty[name="
        + name
        + ", rawName="
        + rawName
        + ", source="
        + source
        + ", ref="
        + ref
        + "]";
  }

  /** Returns {@code name (source)}, as problems and the report name a property. */
  String described() {
    return name + " (" + source + ")";
  }
}
