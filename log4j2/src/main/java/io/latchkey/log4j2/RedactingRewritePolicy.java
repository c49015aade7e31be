package io.latchkey.log4j2;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringMap;

/**
 * A rewrite policy that redacts an event before any layout sees it: for layouts that are not
 * patterns, such as {@code JsonTemplateLayout}, and for every appender behind one {@code
 * <Rewrite>}.
 *
 * <pre>{@code
 * <Rewrite name="Redacted">
 *   <RedactingRewritePolicy/>
 *   <AppenderRef ref="Json"/>
 * </Rewrite>
 * }</pre>
 *
 * <p>An event that holds a value is replaced by a copy in which:
 *
 * <ul>
 *   <li>the message is its formatted text, redacted, as a {@link SimpleMessage} (its parameters are
 *       not kept, since each could hold the value); a parameter that holds a value but is not in
 *       the formatted text (an argument with no placeholder) makes the event one that holds a
 *       value;
 *   <li>the thrown exception is a copy whose messages, its causes' and its suppressed exceptions'
 *       are redacted, with the same stack traces and the same chain; each exception in the copy is
 *       of the original's class where that class can be rebuilt from a message (a public
 *       constructor taking a message, or a message and a cause, and no override of how the message
 *       is shown), and otherwise stands in for it, printing the original's class name;
 *   <li>each context data (MDC) value is redacted;
 *   <li>the thread name and the logger name are redacted.
 * </ul>
 *
 * <p>An event that holds no value is passed on as it is. The redactor comes from {@link
 * LatchkeyLog4j2#install}; until then every event passes unchanged. If redaction throws, the event
 * is passed on with a fixed message ({@value LatchkeyLog4j2#REDACTION_FAILED}), without its
 * exception and context data, and with that text for its thread and logger names.
 *
 * <p>The policy does not rewrite the context stack (NDC) or markers, and each event is redacted on
 * its own: a value split across two log calls is not found.
 *
 * @since 0.1
 */
@Plugin(
    name = "RedactingRewritePolicy",
    category = Core.CATEGORY_NAME,
    elementType = "rewritePolicy",
    printObject = true)
public final class RedactingRewritePolicy implements RewritePolicy {

  private RedactingRewritePolicy() {}

  /**
   * Creates the policy; Log4j's configuration calls it for {@code <RedactingRewritePolicy/>}.
   *
   * @return the policy
   */
  @PluginFactory
  public static RedactingRewritePolicy createPolicy() {
    return new RedactingRewritePolicy();
  }

  /**
   * Returns the event with every value redacted, or the same event when it holds none.
   *
   * @param source the event
   * @return the redacted copy, or {@code source}
   */
  @Override
  public LogEvent rewrite(LogEvent source) {
    LatchkeyLog4j2 installation = LatchkeyLog4j2.current();
    if (installation == null) {
      return source;
    }
    try {
      return redact(source, installation);
    } catch (RuntimeException e) {
      LatchkeyLog4j2.reportFailure(e);
      // The thread and logger names were not cleaned either, and may hold the value.
      return new Log4jLogEvent.Builder(source)
          .setMessage(new SimpleMessage(LatchkeyLog4j2.REDACTION_FAILED))
          .setThrown(null)
          .setContextData(ContextDataFactory.emptyFrozenContextData())
          .setThreadName(LatchkeyLog4j2.REDACTION_FAILED)
          .setLoggerName(LatchkeyLog4j2.REDACTION_FAILED)
          .build();
    }
  }

  private static LogEvent redact(LogEvent source, LatchkeyLog4j2 installation) {
    Log4jLogEvent.Builder copy = null;
    Message message = source.getMessage();
    if (message != null) {
      String text = message.getFormattedMessage();
      String cleaned = text == null ? null : installation.clean(text);
      if (!Objects.equals(text, cleaned) || parametersChange(message, installation)) {
        copy = new Log4jLogEvent.Builder(source).setMessage(new SimpleMessage(cleaned));
      }
    }
    Throwable thrown = source.getThrown();
    if (thrown != null) {
      Throwable cleaned = RedactedCopies.of(thrown, installation::clean);
      if (cleaned != thrown) {
        copy = (copy == null ? new Log4jLogEvent.Builder(source) : copy).setThrown(cleaned);
      }
    }
    StringMap data = redactedContextData(source, installation);
    if (data != null) {
      copy = (copy == null ? new Log4jLogEvent.Builder(source) : copy).setContextData(data);
    }
    // Every layout writes these two (ECS: process.thread.name, log.logger), and a thread or a
    // logger may be named after what it serves: a connection string, a tenant's token.
    String threadName = source.getThreadName();
    String cleanedThread = threadName == null ? null : installation.clean(threadName);
    if (!Objects.equals(threadName, cleanedThread)) {
      copy = (copy == null ? new Log4jLogEvent.Builder(source) : copy).setThreadName(cleanedThread);
    }
    String loggerName = source.getLoggerName();
    String cleanedLogger = loggerName == null ? null : installation.clean(loggerName);
    if (!Objects.equals(loggerName, cleanedLogger)) {
      copy = (copy == null ? new Log4jLogEvent.Builder(source) : copy).setLoggerName(cleanedLogger);
    }
    return copy == null ? source : copy.build();
  }

  /**
   * Whether any parameter of the message holds a value. A layout may write parameters that the
   * formatted text leaves out ({@code JsonTemplateLayout}'s {@code messageParameter} resolver
   * writes an argument with no placeholder), so each is checked as such a layout would show it.
   */
  private static boolean parametersChange(Message message, LatchkeyLog4j2 installation) {
    Object[] parameters = message.getParameters();
    if (parameters == null) {
      return false;
    }
    for (Object parameter : parameters) {
      String shown = shown(parameter);
      if (shown != null && !shown.equals(installation.clean(shown))) {
        return true;
      }
    }
    return false;
  }

  private static String shown(Object parameter) {
    if (parameter == null) {
      return null;
    }
    if (parameter instanceof char[] chars) {
      return new String(chars);
    }
    if (parameter instanceof Object[] array) {
      return Arrays.deepToString(array);
    }
    return String.valueOf(parameter);
  }

  /** The event's context data with every value redacted, or {@code null} when none changes. */
  private static StringMap redactedContextData(LogEvent source, LatchkeyLog4j2 installation) {
    if (source.getContextData() == null || source.getContextData().isEmpty()) {
      return null;
    }
    StringMap data = null;
    for (Map.Entry<String, String> entry : source.getContextData().toMap().entrySet()) {
      String value = entry.getValue();
      String cleaned = value == null ? null : installation.clean(value);
      if (!Objects.equals(value, cleaned)) {
        if (data == null) {
          data = ContextDataFactory.createContextData(source.getContextData());
        }
        data.putValue(entry.getKey(), cleaned);
      }
    }
    if (data != null) {
      data.freeze();
    }
    return data;
  }

  /**
   * Names the policy.
   *
   * @return {@code RedactingRewritePolicy}
   */
  @Override
  public String toString() {
    return "RedactingRewritePolicy";
  }
}
