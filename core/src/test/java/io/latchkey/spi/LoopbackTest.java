package io.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class LoopbackTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "LocalHost",
        "127.0.0.1",
        "127.1.2.3",
        "::1",
        "[::1]",
        "0:0:0:0:0:0:0:1",
        "::ffff:127.0.0.1"
      })
  void loopbackHosts(String host) {
    assertThat(Loopback.isLoopbackHost(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "example.com",
        "127.0.0.1.example.com",
        "localhost.example.com",
        "10.0.0.1",
        "128.0.0.1",
        "::2",
        "[::2]",
        "127.0.0",
        "1270.0.0.1",
        "127.0.0.256",
        "127..0.1",
        "0x7f.0.0.1",
        "2130706433",
        "vault",
        "[localhost]x"
      })
  void otherHosts_andEveryOtherName(String host) {
    assertThat(Loopback.isLoopbackHost(host)).isFalse();
  }
}
