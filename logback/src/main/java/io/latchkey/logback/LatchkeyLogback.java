package io.latchkey.logback;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.core.spi.ContextAware;
import io.latchkey.redact.Redactor;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Hands a {@link Redactor} to the Logback components of this module ({@link RedactingEncoder} and
 * {@link RedactingConverter}), which Logback creates from {@code logback.xml} before the
 * application has loaded its configuration.
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder().config(config).resolver(resolver).build();
 * LatchkeyLogback.install(redactor);          // every RedactingEncoder and %redact(...) from now on
 * }</pre>
 *
 * <p>One installation is in force at a time, for the whole class loader: {@code install} replaces
 * the previous one atomically, and an event is redacted wholly by one installation or the other. A
 * redactor that follows a resolver's rotations keeps doing so once installed: the components always
 * ask the installed redactor, whose values a rotation replaces.
 *
 * <p><b>Before installation</b>, and after {@link #close()}, the components pass every event
 * through unchanged. Logback starts before the application can know its secrets (the redactor is
 * built from the loaded configuration), so there is nothing to redact yet; dropping those events
 * instead would hide start-up failures, and Latchkey's own messages name settings, never values.
 *
 * <p>A second cleaner may run after the redactor over the same text, for example a scanner that
 * masks credentials the process never loaded: {@code install(redactor, sanitizer::clean)}.
 *
 * <h2>Security</h2>
 *
 * <p>If the redactor or the cleaner throws, the component writes a fixed line in place of the
 * event's text ({@value #REDACTION_FAILED}) and reports the exception's class (never its message)
 * as a Logback error status: a text that could not be redacted is not written.
 *
 * @since 0.1
 */
public final class LatchkeyLogback implements AutoCloseable {
  /** What is written in place of a text whose redaction threw. */
  public static final String REDACTION_FAILED = "[latchkey: redaction failed, text withheld]";

  private static final AtomicReference<LatchkeyLogback> CURRENT = new AtomicReference<>();

  private final Redactor redactor;

  /** Runs after the redactor; {@code null} when there is none. */
  private final UnaryOperator<String> cleaner;

  private LatchkeyLogback(Redactor redactor, UnaryOperator<String> cleaner) {
    this.redactor = redactor;
    this.cleaner = cleaner;
  }

  /**
   * Makes the module's components redact with {@code redactor} from now on, in place of any earlier
   * installation.
   *
   * @param redactor the redactor, shared with the rest of the application
   * @return the installation; closing it uninstalls it, unless another has replaced it since
   */
  public static LatchkeyLogback install(Redactor redactor) {
    return swapIn(new LatchkeyLogback(requireNonNull(redactor, "redactor"), null));
  }

  /**
   * Makes the module's components redact with {@code redactor} and then run {@code cleaner} over
   * the result, in place of any earlier installation.
   *
   * @param redactor the redactor, shared with the rest of the application
   * @param cleaner what else masks a text, such as a secret scanner's {@code clean} method; it
   *     receives the redacted text and returns it, further masked or as it is (returning the same
   *     instance when it changes nothing saves a copy); it must be safe for concurrent use
   * @return the installation; closing it uninstalls it, unless another has replaced it since
   */
  public static LatchkeyLogback install(Redactor redactor, UnaryOperator<String> cleaner) {
    return swapIn(
        new LatchkeyLogback(
            requireNonNull(redactor, "redactor"), requireNonNull(cleaner, "cleaner")));
  }

  private static LatchkeyLogback swapIn(LatchkeyLogback installation) {
    CURRENT.set(installation);
    return installation;
  }

  /**
   * Tells whether an installation is in force.
   *
   * @return {@code true} between an {@link #install} and the {@link #close()} of that installation
   */
  public static boolean isInstalled() {
    return CURRENT.get() != null;
  }

  /**
   * Uninstalls this installation, if it is still the one in force: the components pass events
   * through unchanged again. Closing an installation that another has replaced changes nothing.
   * Idempotent. The redactor is not closed; its owner closes it.
   */
  @Override
  public void close() {
    CURRENT.compareAndSet(this, null);
  }

  /**
   * Returns a description without values.
   *
   * @return the description, naming the redactor's counts
   */
  @Override
  public String toString() {
    return "LatchkeyLogback[" + redactor + (cleaner == null ? "" : ", with a cleaner") + "]";
  }

  /**
   * The text with every value masked by the installation in force; the same instance when it holds
   * none or nothing is installed. A failure is reported to {@code reporter}'s status manager.
   */
  static String clean(String text, ContextAware reporter) {
    return clean(text, null, reporter);
  }

  /**
   * As {@link #clean(String, ContextAware)}, for a text decoded from bytes that {@code charset}
   * encoded (or {@code null} for a text that never was): each value is also found as the charset
   * left it, with the characters it cannot encode replaced ({@link Redactor#redact(CharSequence,
   * Charset)}).
   */
  static String clean(String text, Charset charset, ContextAware reporter) {
    LatchkeyLogback installation = CURRENT.get();
    if (installation == null || text.isEmpty()) {
      return text;
    }
    try {
      String redacted =
          charset == null
              ? installation.redactor.redact(text)
              : installation.redactor.redact(text, charset);
      return installation.cleaner == null
          ? redacted
          : requireNonNull(installation.cleaner.apply(redacted), "the cleaner's result");
    } catch (RuntimeException e) {
      reporter.addError(
          "redaction failed ("
              + e.getClass().getName()
              + "); the text was withheld and replaced by "
              + REDACTION_FAILED);
      return REDACTION_FAILED;
    }
  }
}
