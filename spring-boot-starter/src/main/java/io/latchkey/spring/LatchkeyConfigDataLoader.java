package io.latchkey.spring;

import java.util.List;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;

/**
 * Loads {@code latchkey:}: an empty {@link ReferencePropertySource}, which the starter fills and
 * moves ahead of every other source once the whole environment is known (references may be written
 * in any source, imported files included).
 */
final class LatchkeyConfigDataLoader
    implements ConfigDataLoader<LatchkeyConfigDataLocationResolver.Resource> {
  @Override
  public ConfigData load(
      ConfigDataLoaderContext context, LatchkeyConfigDataLocationResolver.Resource resource) {
    return new ConfigData(List.of(new ReferencePropertySource()));
  }
}
