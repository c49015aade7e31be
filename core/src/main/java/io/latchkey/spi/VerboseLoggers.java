package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warning about another library's logger that prints credentials at the level it is set to: the
 * JDK's {@code HttpURLConnection} logs every request's headers at {@code FINE}, the AWS SDK's
 * signer its canonical request at {@code DEBUG}, gRPC's Netty transport every frame at debug level
 * (through whichever backend Netty picked). None of that is Latchkey's output, so Latchkey cannot
 * mask it; a provider built on such a library checks its loggers when it is built, so that an
 * operator who turned debug logging on is told before a credential reaches the log, whatever
 * framework (or none) the application runs on. The Spring Boot starter goes further and keeps those
 * loggers at {@code INFO} unless the application sets them.
 *
 * <p>Each logger is warned about once per JVM; the warning names the logger, the level and what it
 * prints, never a value.
 */
public final class VerboseLoggers {
  // Logger names warned about already: one line per JVM is enough to act on.
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private VerboseLoggers() {}

  /**
   * Warns, once per JVM, if a {@code java.util.logging} logger records {@code FINE}.
   *
   * @param log where the warning goes (the provider's logger)
   * @param logger the logger's name, such as {@code sun.net.www.protocol.http.HttpURLConnection}
   * @param prints what it prints at that level, such as {@code every request's headers, the AWS
   *     session token among them}
   * @return whether the logger records {@code FINE}
   */
  public static boolean warnIfJulBelowInfo(Logger log, String logger, String prints) {
    requireNonNull(log, "log");
    requireNonNull(prints, "prints");
    boolean verbose = java.util.logging.Logger.getLogger(logger).isLoggable(Level.FINE);
    if (verbose) {
      warnOnce(log, logger, "java.util.logging", "FINE", prints);
    }
    return verbose;
  }

  /**
   * Warns, once per JVM, if an SLF4J logger is enabled at {@code DEBUG}.
   *
   * @param log where the warning goes (the provider's logger)
   * @param logger the logger's name, such as {@code software.amazon.awssdk.auth.signer}
   * @param prints what it prints at that level
   * @return whether the logger is enabled at {@code DEBUG}
   */
  public static boolean warnIfSlf4jBelowInfo(Logger log, String logger, String prints) {
    requireNonNull(log, "log");
    requireNonNull(prints, "prints");
    boolean verbose = LoggerFactory.getLogger(logger).isDebugEnabled();
    if (verbose) {
      warnOnce(log, logger, "SLF4J", "DEBUG", prints);
    }
    return verbose;
  }

  /**
   * Warns, once per JVM, about a logger of a library that picks its logging backend itself, such as
   * Netty, whose {@code InternalLoggerFactory} writes to SLF4J when a backend is bound to it, else
   * to Log4j 2 or {@code java.util.logging}: neither SLF4J's level nor {@code java.util.logging}'s
   * alone says whether such a logger prints, so the caller asks the library's facade and passes the
   * answer.
   *
   * @param verbose whether the library's facade has the logger enabled at {@code level}
   * @param log where the warning goes (the provider's logger)
   * @param logger the logger's name
   * @param api the logging API the library writes to, such as {@code SLF4J}
   * @param level the level at which the logger prints, in that API's words, such as {@code DEBUG}
   * @param prints what it prints at that level
   * @return {@code verbose}
   */
  public static boolean warnIf(
      boolean verbose, Logger log, String logger, String api, String level, String prints) {
    requireNonNull(log, "log");
    requireNonNull(logger, "logger");
    requireNonNull(api, "api");
    requireNonNull(level, "level");
    requireNonNull(prints, "prints");
    if (verbose) {
      warnOnce(log, logger, api, level, prints);
    }
    return verbose;
  }

  private static void warnOnce(Logger log, String logger, String api, String level, String prints) {
    if (WARNED.add(logger)) {
      log.warn(
          "the {} logger {} is at {} or below, where it prints {}; set it to INFO, or keep that log"
              + " as safe as the credentials",
          api,
          logger,
          level,
          prints);
    }
  }
}
