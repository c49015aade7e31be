package io.latchkey.cli;

import io.latchkey.InvalidTokenException;
import io.latchkey.KeyRing;
import io.latchkey.LatchkeyException;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.TokenFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code encrypt}, {@code decrypt} and {@code rotate} share: where the keys come from, and
 * standard input read either whole, as one item, or line by line.
 */
abstract class RingCommand implements Callable<Integer> {

  /** Exactly one source of keys; there is deliberately no option that takes a key itself. */
  static final class KeySource {
    @Option(
        names = "--key-env",
        paramLabel = "NAME",
        required = true,
        converter = Converters.EnvName.class,
        description = "read the current key from variable NAME, older ones from NAME_PREVIOUS")
    String env;

    @Option(
        names = "--key-file",
        paramLabel = "PATH",
        required = true,
        converter = Converters.KeyFile.class,
        description = "read keys from a file, one per line, the current key first")
    Path file;

    /**
     * Loads the ring from whichever source was given, in the format given or the keys' own; an
     * AES-GCM ring writes timed tokens when {@code timestamps} is set.
     */
    KeyRing load(Io io, FormatOption format, boolean timestamps) {
      if (file != null) {
        return KeyFile.read(file, format, timestamps);
      }
      return format.orOf(io.env().get(env)) == TokenFormat.AES_GCM
          ? AesGcmKeyRing.fromEnvironment(env, io.env()).withTimestamps(timestamps)
          : FernetKeyRing.fromEnvironment(env, io.env());
    }
  }

  /** Thrown for one input line in {@code --lines} mode; the message is value-free. */
  static final class RejectedLine extends Exception {
    private static final long serialVersionUID = 1L;

    RejectedLine(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final byte[] NO_RESULT = new byte[0];

  @ArgGroup(exclusive = true, multiplicity = "1")
  KeySource keys;

  @Mixin FormatOption format;

  @Option(names = "--lines", description = "treat each line of standard input as one item")
  boolean lines;

  @Spec CommandSpec spec;

  final Io io;

  RingCommand(Io io) {
    this.io = io;
  }

  /** Whether an AES-GCM ring writes timed tokens: only commands that write tokens say so. */
  boolean timestamps() {
    return false;
  }

  /** Transforms the whole of standard input; returns the exact bytes to print. */
  abstract byte[] whole(KeyRing ring, byte[] input);

  /** Transforms one line, without its line break; returns the result line without one either. */
  abstract byte[] line(KeyRing ring, byte[] line) throws RejectedLine;

  @Override
  public Integer call() {
    KeyRing ring = keys.load(io, format, timestamps());
    try {
      return lines ? eachLine(ring) : wholeInput(ring);
    } catch (IOException e) {
      // PrintStream swallows write errors, so any IOException here comes from reading.
      throw new LatchkeyException("cannot read standard input", e);
    }
  }

  /** Token text: tokens are ASCII, and whitespace around them is not part of them. */
  static String token(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1).strip();
  }

  private int wholeInput(KeyRing ring) throws IOException {
    byte[] input = io.in().readAllBytes();
    byte[] output = whole(ring, input);
    io.out().write(output);
    io.finishOutput();
    Arrays.fill(input, (byte) 0);
    Arrays.fill(output, (byte) 0);
    return 0;
  }

  private int eachLine(KeyRing ring) throws IOException {
    // Buffered for throughput, flushed whenever input runs dry, so that a caller that writes a
    // line and waits for the answer gets it.
    OutputStream out = new BufferedOutputStream(io.out(), 1 << 16);
    LineReader reader = new LineReader(io.in(), out);
    boolean rejected = false;
    long number = 0;
    for (byte[] input = reader.next(); input != null; input = reader.next()) {
      number++;
      byte[] output;
      try {
        if (reader.tooLong()) {
          throw new RejectedLine(
              "too long (over " + (LineReader.MAX_LINE >> 20) + " MiB); it was skipped");
        }
        output = line(ring, input);
      } catch (InvalidTokenException | RejectedLine e) {
        // An empty line keeps the output aligned with the input for the scripts that read it.
        io.fail(spec.qualifiedName(), "line " + number + ": " + e.getMessage());
        output = NO_RESULT;
        rejected = true;
      }
      out.write(output);
      out.write('\n');
      Arrays.fill(input, (byte) 0);
      Arrays.fill(output, (byte) 0);
    }
    out.flush();
    io.finishOutput();
    return rejected ? 1 : 0;
  }
}
