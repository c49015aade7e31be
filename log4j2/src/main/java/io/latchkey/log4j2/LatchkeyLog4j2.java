package io.latchkey.log4j2;

import static java.util.Objects.requireNonNull;

import io.latchkey.redact.Redactor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Hands a {@link Redactor} to the Log4j plugins of this module ({@link RedactingPatternConverter}
 * and {@link RedactingRewritePolicy}), which Log4j creates from {@code log4j2.xml} before the
 * application has loaded its configuration.
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder().config(config).resolver(resolver).build();
 * LatchkeyLog4j2.install(redactor);          // every %redact{...} and RedactingRewritePolicy
 * }</pre>
 *
 * <p>One installation is in force at a time, for the whole class loader: {@code install} replaces
 * the previous one atomically, and an event is redacted wholly by one installation or the other. A
 * redactor that follows a resolver's rotations keeps doing so once installed: the plugins always
 * ask the installed redactor, whose values a rotation replaces.
 *
 * <p><b>Before installation</b>, and after {@link #close()}, the plugins pass every event through
 * unchanged. Log4j starts before the application can know its secrets (the redactor is built from
 * the loaded configuration), so there is nothing to redact yet; dropping those events instead would
 * hide start-up failures, and Latchkey's own messages name settings, never values.
 *
 * <p>A second cleaner may run after the redactor over the same text, for example a scanner that
 * masks credentials the process never loaded: {@code install(redactor, sanitizer::clean)}.
 *
 * <h2>Security</h2>
 *
 * <p>If the redactor or the cleaner throws, the plugin writes a fixed text in place of what it
 * could not redact ({@value #REDACTION_FAILED}) and reports the exception's class (never its
 * message) to Log4j's status logger: a text that could not be redacted is not written.
 *
 * @since 0.1
 */
public final class LatchkeyLog4j2 implements AutoCloseable {
  /** What is written in place of a text whose redaction threw. */
  public static final String REDACTION_FAILED = "[latchkey: redaction failed, text withheld]";

  private static final Logger STATUS = StatusLogger.getLogger();
  private static final AtomicReference<LatchkeyLog4j2> CURRENT = new AtomicReference<>();

  private final Redactor redactor;

  /** Runs after the redactor; {@code null} when there is none. */
  private final UnaryOperator<String> cleaner;

  private LatchkeyLog4j2(Redactor redactor, UnaryOperator<String> cleaner) {
    this.redactor = redactor;
    this.cleaner = cleaner;
  }

  /**
   * Makes the module's plugins redact with {@code redactor} from now on, in place of any earlier
   * installation.
   *
   * @param redactor the redactor, shared with the rest of the application
   * @return the installation; closing it uninstalls it, unless another has replaced it since
   */
  public static LatchkeyLog4j2 install(Redactor redactor) {
    return swapIn(new LatchkeyLog4j2(requireNonNull(redactor, "redactor"), null));
  }

  /**
   * Makes the module's plugins redact with {@code redactor} and then run {@code cleaner} over the
   * result, in place of any earlier installation.
   *
   * @param redactor the redactor, shared with the rest of the application
   * @param cleaner what else masks a text, such as a secret scanner's {@code clean} method; it
   *     receives the redacted text and returns it, further masked or as it is; it must be safe for
   *     concurrent use
   * @return the installation; closing it uninstalls it, unless another has replaced it since
   */
  public static LatchkeyLog4j2 install(Redactor redactor, UnaryOperator<String> cleaner) {
    return swapIn(
        new LatchkeyLog4j2(
            requireNonNull(redactor, "redactor"), requireNonNull(cleaner, "cleaner")));
  }

  private static LatchkeyLog4j2 swapIn(LatchkeyLog4j2 installation) {
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
   * Uninstalls this installation, if it is still the one in force: the plugins pass events through
   * unchanged again. Closing an installation that another has replaced changes nothing. Idempotent.
   * The redactor is not closed; its owner closes it.
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
    return "LatchkeyLog4j2[" + redactor + (cleaner == null ? "" : ", with a cleaner") + "]";
  }

  /** The installation in force, which one event uses throughout; {@code null} if none. */
  static LatchkeyLog4j2 current() {
    return CURRENT.get();
  }

  /**
   * Masks every value in a string: the same instance when it holds none.
   *
   * @throws RuntimeException what the redactor or the cleaner threw
   */
  String clean(String text) {
    String redacted = redactor.redact(text);
    return cleaner == null ? redacted : requireNonNull(cleaner.apply(redacted), "cleaned text");
  }

  /** Masks every value in a layout's buffer from {@code from} on, or withholds that part. */
  @SuppressWarnings(
      "ReferenceEquality") // a cleaner returns the same instance when it changes nothing
  void clean(StringBuilder text, int from) {
    try {
      redactor.redact(text, from);
      if (cleaner != null) {
        // The buffer is redacted already: only the cleaner is left to run.
        String tail = text.substring(from);
        String cleaned = requireNonNull(cleaner.apply(tail), "cleaned text");
        if (cleaned != tail) {
          text.setLength(from);
          text.append(cleaned);
        }
      }
    } catch (RuntimeException e) {
      text.setLength(from);
      text.append(REDACTION_FAILED);
      reportFailure(e);
    }
  }

  /** Tells the status logger that a text was withheld, naming the exception's class only. */
  static void reportFailure(RuntimeException e) {
    STATUS.error(
        "Latchkey redaction failed ({}); the text was withheld and replaced by {}",
        e.getClass().getName(),
        REDACTION_FAILED);
  }
}
