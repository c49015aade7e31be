package io.latchkey.provider.gcp;

import io.latchkey.spi.VerboseLoggers;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The check of gRPC's Netty frame loggers, run when a client is built. gRPC's Netty transport logs
 * every HTTP/2 frame at debug level (the access token in each request's headers, the secret values
 * in the answers) through Netty's own logging facade, {@code InternalLoggerFactory}, which picks
 * its backend itself: SLF4J when a backend is bound to it, else Log4j 2, else Log4j, else {@code
 * java.util.logging}. Only that backend's level decides whether frames are written, so the check
 * asks the facade, as the transport does, instead of reading one logging API's level.
 */
final class FrameLoggers {
  /** What a frame logger prints below {@code INFO}, for the warning. */
  static final String PRINTS =
      "every HTTP/2 frame, the access token and the secret values among them";

  /**
   * A frame logger, and the facade its transport logs through.
   *
   * @param name the logger's name, the transport's {@code NettyClientHandler}
   * @param facade the binary name of that Netty's {@code InternalLoggerFactory}
   */
  record FrameLogger(String name, String facade) {}

  /** The shaded transport (the client's default) and the unshaded one, with their Netty. */
  static final List<FrameLogger> ALL =
      List.of(
          new FrameLogger(
              GcpSecretProviderFactory.SHADED_FRAME_LOGGER,
              "io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory"),
          new FrameLogger(
              GcpSecretProviderFactory.FRAME_LOGGER,
              "io.netty.util.internal.logging.InternalLoggerFactory"));

  private FrameLoggers() {}

  /**
   * Warns, once per JVM each, about the frame loggers that would write frames, and returns them.
   *
   * @param log where the warning goes (the provider's logger)
   * @return the names of those loggers
   */
  static List<String> warnAboutVerbose(Logger log) {
    List<String> verbose = new ArrayList<>();
    for (FrameLogger logger : ALL) {
      if (warnIfVerbose(log, logger, FrameLoggers.class.getClassLoader())) {
        verbose.add(logger.name());
      }
    }
    return verbose;
  }

  /**
   * Warns, once per JVM, if a frame logger would write frames, as its Netty's facade answers.
   *
   * @param log where the warning goes
   * @param logger the logger and its facade
   * @param loader where the facade is looked for
   * @return whether it would write frames: never when the facade is not there, since the transport,
   *     built on that Netty, cannot be either
   */
  static boolean warnIfVerbose(Logger log, FrameLogger logger, ClassLoader loader) {
    boolean verbose;
    String backend;
    try {
      Class<?> factory = Class.forName(logger.facade(), true, loader);
      Method getInstance = factory.getMethod("getInstance", String.class);
      Object internal = getInstance.invoke(null, logger.name());
      // Through the declared InternalLogger interface: the implementations are not public.
      verbose = (Boolean) getInstance.getReturnType().getMethod("isDebugEnabled").invoke(internal);
      backend = factory.getMethod("getDefaultFactory").invoke(null).getClass().getSimpleName();
    } catch (ClassNotFoundException e) {
      // No such Netty, so no transport built on it either: nothing writes frames under the name.
      return false;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // A facade this check cannot call: its backend is unknown, so the levels of SLF4J and of
      // java.util.logging are both taken as the transport's, and either one warns.
      boolean slf4j = VerboseLoggers.warnIfSlf4jBelowInfo(log, logger.name(), PRINTS);
      boolean jul = VerboseLoggers.warnIfJulBelowInfo(log, logger.name(), PRINTS);
      return slf4j || jul;
    }
    boolean jdk = backend.equals("JdkLoggerFactory");
    return VerboseLoggers.warnIf(
        verbose, log, logger.name(), api(backend), jdk ? "FINE" : "DEBUG", PRINTS);
  }

  /** The logging API Netty's factory writes to, by the factory's class name. */
  static String api(String factory) {
    switch (factory) {
      case "Slf4JLoggerFactory":
        return "SLF4J";
      case "Log4J2LoggerFactory":
        return "Log4j 2";
      case "Log4JLoggerFactory":
        return "Log4j";
      case "CommonsLoggerFactory":
        return "Commons Logging";
      case "JdkLoggerFactory":
        return "java.util.logging";
      default:
        return "Netty (" + factory + ")";
    }
  }
}
