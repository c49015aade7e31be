package io.latchkey.provider.vault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects an answer's body up to a size cap, and stops reading (cancelling the subscription, which
 * closes the connection) as soon as the body is known to exceed it: a runaway or hostile answer
 * never costs more than the cap in memory.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** Thrown when an answer is larger than the cap; never retried, since it would be again. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long cap) {
      super("the answer is larger than " + cap + " bytes");
    }
  }

  private final long cap;
  private final boolean declaredTooLarge;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private CappedBody(long cap, boolean declaredTooLarge) {
    this.cap = cap;
    this.declaredTooLarge = declaredTooLarge;
  }

  /** A handler whose bodies are capped at {@code cap} bytes. */
  static HttpResponse.BodyHandler<byte[]> handler(long cap) {
    return info -> {
      OptionalLong length = info.headers().firstValueAsLong("Content-Length");
      return new CappedBody(cap, length.isPresent() && length.getAsLong() > cap);
    };
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declaredTooLarge) {
      // Content-Length says it already: do not read a byte of it.
      fail();
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if (buffer.size() + (long) item.remaining() > cap) {
        fail();
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      buffer.write(chunk, 0, chunk.length);
    }
  }

  private void fail() {
    subscription.cancel();
    result.completeExceptionally(new TooLarge(cap));
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public String toString() {
    return "CappedBody[cap=" + cap + ", read=" + buffer.size() + "]";
  }
}
