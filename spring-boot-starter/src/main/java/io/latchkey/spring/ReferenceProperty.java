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

  /** Returns {@code name (source)}, as problems and the report name a property. */
  String described() {
    return name + " (" + source + ")";
  }
}
