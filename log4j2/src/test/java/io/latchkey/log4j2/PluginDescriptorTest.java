package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.config.plugins.util.PluginManager;
import org.apache.logging.log4j.core.config.plugins.util.PluginType;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.junit.jupiter.api.Test;

/**
 * The build writes the plugin descriptor that Log4j reads (the annotation processor ran), and it
 * names both plugins under the categories Log4j looks in.
 */
final class PluginDescriptorTest {

  private static PluginType<?> find(String category, String name) {
    PluginManager manager = new PluginManager(category);
    manager.collectPlugins();
    return manager.getPluginType(name.toLowerCase(Locale.ROOT));
  }

  @Test
  void descriptor_listsTheConverterUnderItsCategory() {
    PluginType<?> type = find(PatternConverter.CATEGORY, "RedactingPatternConverter");

    assertThat(type).isNotNull();
    assertThat(type.getPluginClass()).isEqualTo(RedactingPatternConverter.class);
  }

  @Test
  void descriptor_listsTheRewritePolicyAsARewritePolicyElement() {
    PluginType<?> type = find(Core.CATEGORY_NAME, "RedactingRewritePolicy");

    assertThat(type).isNotNull();
    assertThat(type.getPluginClass()).isEqualTo(RedactingRewritePolicy.class);
    assertThat(type.getElementName()).isEqualTo("rewritePolicy");
  }

  @Test
  void descriptor_isInTheModulesOwnOutput() throws Exception {
    Path classes =
        Path.of(
            RedactingPatternConverter.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());

    assertThat(classes.resolve("META-INF/org/apache/logging/log4j/core/config/plugins"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("Log4j2Plugins.dat"));
  }
}
