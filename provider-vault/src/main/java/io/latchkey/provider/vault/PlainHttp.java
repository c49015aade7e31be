package io.latchkey.provider.vault;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of a client that speaks plain HTTP only: it refuses every use, so a client given
 * it can never open a TLS connection, and making it sets up nothing (no security provider, no trust
 * store).
 */
final class PlainHttp {
  /** The context; every method of it throws {@link IllegalStateException}. */
  static final SSLContext NO_TLS = new SSLContext(new Refusing(), null, "none") {};

  private PlainHttp() {}

  private static final class Refusing extends SSLContextSpi {
    private static IllegalStateException refusal() {
      return new IllegalStateException(
          "the Vault address is plain http: this client makes no TLS connection");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw refusal();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refusal();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refusal();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refusal();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refusal();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refusal();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refusal();
    }
  }
}
