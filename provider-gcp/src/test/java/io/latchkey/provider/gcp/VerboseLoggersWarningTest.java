package io.latchkey.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLogger;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.spi.CredentialLoggers;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.LogCapture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame loggers of gRPC's Netty transport print credentials below {@code INFO}, and are checked
 * when the client is built: named (and warned about, once per JVM) exactly when they would write
 * frames. Netty picks its logging backend itself (SLF4J whenever one is bound), so that backend's
 * level decides, not {@code java.util.logging}'s. A logging backend's levels are read once per
 * class loader, so the tests with other levels than this module's run in a class loader of their
 * own.
 */
final class VerboseLoggersWarningTest {
  private static final String SHADED = GcpSecretProviderFactory.SHADED_FRAME_LOGGER;
  private static final String VALUE = "pw-7Kq9xZ"; // short enough to be dumped whole in a frame

  @Test
  @SuppressWarnings("try") // the capture only opens java.util.logging's levels
  void javaUtilLoggingAtEveryLevel_whileNettyLogsThroughSlf4jAtInfo_namesNoFrameLogger() {
    try (LogCapture levels = LogCapture.startAtEveryLevel()) {
      InternalLogger frames = InternalLoggerFactory.getInstance(SHADED);
      assertThat(InternalLoggerFactory.getDefaultFactory().getClass().getSimpleName())
          .isEqualTo("Slf4JLoggerFactory");
      assertThat(Logger.getLogger(SHADED).isLoggable(Level.FINE)).isTrue();

      List<String> named = GcpClientFactory.warnAboutVerboseLoggers();

      assertThat(frames.isDebugEnabled()).isFalse();
      assertThat(named)
          .as("named by java.util.logging's level, which Netty does not log through")
          .isEmpty();
    }
  }

  /**
   * End to end, with the frame logger at DEBUG in the SLF4J backend (as an operator does with
   * {@code <logger name="io.grpc" level="DEBUG"/>}): the secret's payload reaches the log in the
   * frame dump, and the provider warns about it, naming the logger and never the value.
   */
  @Test
  void slf4jFrameLoggerAtDebug_writesThePayload_andIsWarnedAbout(@TempDir Path dir)
      throws Exception {
    Map<String, String> report =
        runIsolated(dir, "default=info\nlog.io.latchkey=debug\nlog." + SHADED + "=debug\n");

    assertThat(report).containsEntry("frames", "true").containsEntry("payloadInLog", "true");
    assertThat(report.get("warnings"))
        .as("the provider warns when gRPC's frame logger writes frames (docs/providers/gcp.md)")
        .contains("the SLF4J logger " + SHADED + " is at DEBUG or below")
        .doesNotContain(VALUE);
    assertThat(report).containsEntry("named", SHADED);
  }

  /**
   * End to end, with the frame logger at INFO in the SLF4J backend and {@code java.util.logging}
   * open to every level: no frame is written, and there is no warning.
   */
  @Test
  void slf4jFrameLoggerAtInfo_withJavaUtilLoggingAtEveryLevel_writesNoFrame_andIsNotWarnedAbout(
      @TempDir Path dir) throws Exception {
    Map<String, String> report =
        runIsolated(dir, "default=info\nlog.io.latchkey=debug\nlog.io.grpc=info\n");

    assertThat(report).containsEntry("frames", "false").containsEntry("payloadInLog", "false");
    assertThat(report).containsEntry("warnings", "").containsEntry("named", "");
  }

  @Test
  void theProviderDeclaresTheLoggersItChecks_soThatIntegrationsCanHoldThemAtInfo() {
    assertThat(GcpSecretProviderFactory.class.getAnnotation(CredentialLoggers.class).value())
        .containsExactlyElementsOf(
            FrameLoggers.ALL.stream().map(FrameLoggers.FrameLogger::name).toList());
  }

  @Test
  void theShadedTransportIsAskedThroughTheFacadeInItsJar() {
    assertThat(FrameLoggers.ALL.get(0).name()).isEqualTo(SHADED);
    assertThat(FrameLoggers.ALL.get(0).facade()).isEqualTo(InternalLoggerFactory.class.getName());
  }

  @Test
  @SuppressWarnings("try") // the capture only opens java.util.logging's levels
  void aTransportWhoseNettyIsNotOnTheClassPath_isNotNamed_whateverTheLevels() {
    FrameLoggers.FrameLogger unshaded = FrameLoggers.ALL.get(1);
    assertThat(unshaded.name()).isEqualTo(GcpSecretProviderFactory.FRAME_LOGGER);
    ClassLoader loader = VerboseLoggersWarningTest.class.getClassLoader();
    assertThatThrownBy(() -> Class.forName(unshaded.facade(), false, loader))
        .isInstanceOf(ClassNotFoundException.class);

    try (LogCapture levels = LogCapture.startAtEveryLevel()) {
      assertThat(
              FrameLoggers.warnIfVerbose(
                  org.slf4j.LoggerFactory.getLogger(VerboseLoggersWarningTest.class),
                  unshaded,
                  loader))
          .isFalse();
    }
  }

  /** A class where a facade is looked for that is not Netty's: it has no getInstance(String). */
  static final class NotAFacade {
    private NotAFacade() {}
  }

  @Test
  void aFacadeThatCannotBeAsked_fallsBackToTheLevelsOfSlf4jAndJavaUtilLogging() {
    // Under io.grpc, which this module's SLF4J backend holds at INFO.
    String name = "io.grpc.latchkey.test.UnaskableFrames";
    FrameLoggers.FrameLogger logger =
        new FrameLoggers.FrameLogger(name, NotAFacade.class.getName());
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VerboseLoggersWarningTest.class);
    ClassLoader loader = VerboseLoggersWarningTest.class.getClassLoader();
    Logger jul = Logger.getLogger(name);
    try {
      jul.setLevel(Level.INFO);
      assertThat(FrameLoggers.warnIfVerbose(log, logger, loader)).isFalse();
      jul.setLevel(Level.FINE);
      assertThat(FrameLoggers.warnIfVerbose(log, logger, loader)).isTrue();
    } finally {
      jul.setLevel(null);
    }
  }

  /**
   * Runs {@link Probe#run()} in a JVM of its own, over the test class path, whose SLF4J backend
   * reads {@code levels}. Not a second class loader in this JVM: gRPC's Netty loads its native
   * transport once per class loader, and two copies left this JVM's own channels unable to link
   * their natives (UnsatisfiedLinkError in later tests).
   */
  private static Map<String, String> runIsolated(Path dir, String levels) throws Exception {
    Files.writeString(dir.resolve(CapturingSlf4jProvider.LEVELS), levels);
    // First, so that its levels file is the one the backend finds.
    String classPath = dir + File.pathSeparator + System.getProperty("java.class.path");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(java.toString(), "-cp", classPath, Probe.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor()).as(out).isZero();
    Map<String, String> report = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int tab = line.indexOf('\t');
      if (line.startsWith(Probe.FIGURE) && tab > 0) {
        report.put(
            line.substring(Probe.FIGURE.length(), tab),
            line.substring(tab + 1).replace("\\n", "\n"));
      }
    }
    return report;
  }

  /** Runs in a JVM of its own: fetches one secret and reports what was logged. */
  public static final class Probe {
    /** Starts each line of the report on the standard output. */
    static final String FIGURE = "probe:";

    private Probe() {}

    /**
     * Prints {@link #run()}'s report, one {@code probe:NAME<tab>VALUE} line each, line breaks in a
     * value written as {@code \n}.
     *
     * @param args none
     */
    public static void main(String[] args) {
      run()
          .forEach(
              (name, value) ->
                  System.out.println(FIGURE + name + "\t" + value.replace("\n", "\\n")));
    }

    /**
     * Fetches a secret from the loopback server, with {@code java.util.logging} open to every
     * level.
     *
     * @return whether frames were logged (through SLF4J), whether the payload was among them, the
     *     warnings naming the frame logger, and the loggers the check names
     */
    public static Map<String, String> run() {
      String hex = HexFormat.of().formatHex(VALUE.getBytes(StandardCharsets.UTF_8));
      try (LogCapture capture = LogCapture.startAtEveryLevel();
          FakeSecretManager gcp = FakeSecretManager.start()) {
        gcp.omitChecksums(true);
        gcp.addVersion("s", VALUE.getBytes(StandardCharsets.UTF_8));
        try (GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(gcp.environment())) {
          provider.fetch(SecretRef.parse("gcp:s"));
        }
        boolean frames = false;
        boolean payload = false;
        List<String> warnings = new ArrayList<>();
        for (CapturingSlf4jProvider.Event e : capture.events()) {
          if (e.logger().equals(SHADED)) {
            frames = true;
            payload |= e.message().toLowerCase(Locale.ROOT).contains(hex);
          }
          if (e.level() == org.slf4j.event.Level.WARN && e.message().contains(SHADED)) {
            warnings.add(e.message());
          }
        }
        Map<String, String> report = new LinkedHashMap<>();
        report.put("frames", String.valueOf(frames));
        report.put("payloadInLog", String.valueOf(payload));
        report.put("warnings", String.join("\n", warnings));
        report.put("named", String.join(",", GcpClientFactory.warnAboutVerboseLoggers()));
        return report;
      }
    }
  }
}
