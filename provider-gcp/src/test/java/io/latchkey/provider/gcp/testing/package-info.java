/**
 * A loopback GCP Secret Manager for tests, benchmarks and examples: {@link
 * io.latchkey.provider.gcp.testing.FakeSecretManager} serves the v1 gRPC protocol on {@code
 * 127.0.0.1}, with failure injection, latency and request counters.
 */
package io.latchkey.provider.gcp.testing;
