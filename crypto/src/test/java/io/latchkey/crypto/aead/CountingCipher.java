package io.latchkey.crypto.aead;

import static org.junit.jupiter.api.Assumptions.abort;

import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;

/**
 * An AES-GCM {@link Cipher} that counts the calls that feed it additional data and hands every call
 * to the JDK's own cipher: what the format's speed at short values depends on, since the JDK
 * buffers each {@code updateAAD} call through a stream.
 */
final class CountingCipher extends Cipher {
  private final Counting spi;

  private CountingCipher(Counting spi, Cipher real) {
    super(spi, real.getProvider(), "AES/GCM/NoPadding");
    this.spi = spi;
  }

  /** A new counting cipher; the test is skipped on a JDK that refuses a cipher built this way. */
  static CountingCipher create() {
    Cipher real = AesGcmFormat.newCipher();
    try {
      return new CountingCipher(new Counting(real), real);
    } catch (IllegalArgumentException e) {
      return abort("this JDK does not allow a Cipher around another provider's cipher");
    }
  }

  int aadCalls() {
    return spi.aadCalls;
  }

  private static final class Counting extends CipherSpi {
    private final Cipher real;
    private int aadCalls;

    Counting(Cipher real) {
      this.real = real;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
      aadCalls++;
      real.updateAAD(src, offset, len);
    }

    @Override
    protected void engineUpdateAAD(java.nio.ByteBuffer src) {
      aadCalls++;
      real.updateAAD(src);
    }

    @Override
    protected void engineSetMode(String mode) {}

    @Override
    protected void engineSetPadding(String padding) {}

    @Override
    protected int engineGetBlockSize() {
      return real.getBlockSize();
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
      return real.getOutputSize(inputLen);
    }

    @Override
    protected byte[] engineGetIV() {
      return real.getIV();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
      return real.getParameters();
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
      real.init(opmode, key, random);
    }

    @Override
    protected void engineInit(
        int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      real.init(opmode, key, params, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      real.init(opmode, key, params, random);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int offset, int len) {
      return real.update(input, offset, len);
    }

    @Override
    protected int engineUpdate(byte[] input, int offset, int len, byte[] output, int outOffset)
        throws ShortBufferException {
      return real.update(input, offset, len, output, outOffset);
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int offset, int len)
        throws IllegalBlockSizeException, BadPaddingException {
      return real.doFinal(input, offset, len);
    }

    @Override
    protected int engineDoFinal(byte[] input, int offset, int len, byte[] output, int outOffset)
        throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
      return real.doFinal(input, offset, len, output, outOffset);
    }
  }
}
