package io.latchkey.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A usage error a command words itself: its message names options and reasons and never holds what
 * the user typed, so it is printed as it is, while picocli's own messages are filtered.
 */
final class UsageError extends ParameterException {
  private static final long serialVersionUID = 1L;

  UsageError(CommandLine commandLine, String message) {
    super(commandLine, message);
  }
}
