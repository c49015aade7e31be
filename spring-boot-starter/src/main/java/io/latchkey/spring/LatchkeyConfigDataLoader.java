package io.latchkey.spring;

import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;

/**
 * Loads {@code latchkey:}: leaves an empty {@link ReferencePropertySource} in the run's bootstrap
 * context, which the starter fills and puts ahead of every other source once the whole environment
 * is known (references may be written in any source, imported files included).
 *
 * <p>It returns no config data of its own. Spring Boot keeps a contributor for each imported
 * property source while it processes the imports, and walks all of them at every property it binds
 * there, on every pass; a source that is empty until the environment is prepared would only add to
 * that walk. An import that loads nothing counts as missing unless its resource is optional, which
 * is why {@link LatchkeyConfigDataLocationResolver} makes it so.
 */
final class LatchkeyConfigDataLoader
    implements ConfigDataLoader<LatchkeyConfigDataLocationResolver.Resource> {
  /** Returns {@code null}, which Spring Boot's contract reads as nothing to add. */
  @Override
  public ConfigData load(
      ConfigDataLoaderContext context, LatchkeyConfigDataLocationResolver.Resource resource) {
    Bootstrap.registerIfAbsent(
        Bootstrap.of(ConfigDataLoaderContext.class, context),
        ReferencePropertySource.class,
        new ReferencePropertySource());
    return null;
  }
}
