package io.latchkey.provider.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's logger, created on first use: starting SLF4J is a large part of a cold start, and
 * a provider that never logs need not pay for it. Every class of the provider logs through it, so
 * that one logger name ({@code io.latchkey.provider.aws.AwsSecretProvider}) covers them all.
 */
final class AwsLog {
  static final Logger LOG = LoggerFactory.getLogger(AwsSecretProvider.class);

  private AwsLog() {}
}
