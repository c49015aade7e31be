package io.latchkey.scan;

import java.util.List;

/** The built-in rules, and the detectors that find them. */
final class Rules {
  /** Generic assignments yield to everything else. */
  private static final int GENERIC = 0;

  /** A PEM block inside a service-account file is reported as the file's key. */
  private static final int CONTAINER = 1;

  private static final int SPECIFIC = 2;

  private static final int OUTER = 3;

  static final Rule AWS_ACCESS_KEY_ID =
      new Rule(
          "aws-access-key-id",
          "AWS access key ID (AKIA, ASIA, ABIA, ACCA and 16 base32 characters)",
          SPECIFIC);
  static final Rule AWS_SECRET_ACCESS_KEY =
      new Rule(
          "aws-secret-access-key",
          "AWS secret access key (40 base64 characters near an AWS keyword)",
          SPECIFIC);
  static final Rule GCP_SERVICE_ACCOUNT =
      new Rule(
          "gcp-service-account",
          "Google Cloud service-account key file (the private_key of a \"service_account\" JSON)",
          OUTER);
  static final Rule GITHUB_TOKEN =
      new Rule(
          "github-token",
          "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_) with a valid CRC32 checksum",
          SPECIFIC);
  static final Rule GITHUB_FINE_GRAINED_TOKEN =
      new Rule(
          "github-fine-grained-token",
          "GitHub fine-grained personal access token (github_pat_)",
          SPECIFIC);
  static final Rule GITLAB_TOKEN =
      new Rule(
          "gitlab-token",
          "GitLab token (glpat-, gldt-, glrt-, glptt-, glsoat-, glft-, gloas-, glcbt-)",
          SPECIFIC);
  static final Rule SLACK_TOKEN =
      new Rule("slack-token", "Slack token (xoxb-, xoxp-, xoxa-, xoxe., xapp-)", SPECIFIC);
  static final Rule SLACK_WEBHOOK =
      new Rule("slack-webhook", "Slack incoming webhook or workflow trigger URL", SPECIFIC);
  static final Rule STRIPE_KEY =
      new Rule(
          "stripe-key",
          "Stripe secret or restricted key (sk_live_, rk_live_, sk_test_, rk_test_)",
          SPECIFIC);
  static final Rule OPENAI_API_KEY =
      new Rule(
          "openai-api-key",
          "OpenAI-style API key (sk-proj-, sk-svcacct-, sk-admin-, legacy sk-…T3BlbkFJ…, and sk-"
              + " keys of 32 or more random characters)",
          SPECIFIC);
  static final Rule ANTHROPIC_API_KEY =
      new Rule("anthropic-api-key", "Anthropic API key (sk-ant-)", SPECIFIC);
  static final Rule JWT =
      new Rule(
          "jwt",
          "JSON Web Token (three base64url parts whose header is JSON naming an \"alg\")",
          SPECIFIC);
  static final Rule PRIVATE_KEY =
      new Rule("private-key", "PEM private key block (BEGIN … PRIVATE KEY)", CONTAINER);
  static final Rule DATABASE_URL =
      new Rule(
          "database-url",
          "Password in a database URL (postgres://user:pass@host, jdbc:…password=…)",
          SPECIFIC);
  static final Rule GENERIC_SECRET =
      new Rule(
          "generic-secret",
          "High-entropy value assigned to a password, secret, token or API-key setting",
          GENERIC);

  /** Every rule, in the order reports list them. */
  static final List<Rule> ALL =
      List.of(
          AWS_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY,
          GCP_SERVICE_ACCOUNT,
          GITHUB_TOKEN,
          GITHUB_FINE_GRAINED_TOKEN,
          GITLAB_TOKEN,
          SLACK_TOKEN,
          SLACK_WEBHOOK,
          STRIPE_KEY,
          OPENAI_API_KEY,
          ANTHROPIC_API_KEY,
          JWT,
          PRIVATE_KEY,
          DATABASE_URL,
          GENERIC_SECRET);

  private Rules() {}
}
