package io.latchkey.spring;

import java.util.List;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.ConfigDataResource;

/**
 * Reads {@code spring.config.import=latchkey:}: the switch that turns the starter on for an
 * application. The location takes nothing after the colon.
 */
final class LatchkeyConfigDataLocationResolver
    implements ConfigDataLocationResolver<LatchkeyConfigDataLocationResolver.Resource> {
  static final String PREFIX = "latchkey:";

  /**
   * The one resource the location names; every import of it is the same one. It is optional whether
   * or not the location says so: its loader adds no config data (see {@link
   * LatchkeyConfigDataLoader}), which Spring Boot would otherwise report as a missing import.
   */
  static final class Resource extends ConfigDataResource {
    Resource() {
      super(true);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Resource;
    }

    @Override
    public int hashCode() {
      return Resource.class.hashCode();
    }

    @Override
    public String toString() {
      return PREFIX;
    }
  }

  @Override
  public boolean isResolvable(
      ConfigDataLocationResolverContext context, ConfigDataLocation location) {
    return location.hasPrefix(PREFIX);
  }

  @Override
  public List<Resource> resolve(
      ConfigDataLocationResolverContext context, ConfigDataLocation location) {
    if (!location.getNonPrefixedValue(PREFIX).isBlank()) {
      throw new IllegalArgumentException(
          "spring.config.import: 'latchkey:' takes nothing after the colon; configure the"
              + " starter with latchkey.* properties");
    }
    return List.of(new Resource());
  }
}
