package io.latchkey.provider.aws;

import java.io.FilterInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The provider's HTTP client: the SDK's, with every call in flight known, so that {@link #close()}
 * can abort them.
 *
 * <p>A thread blocked reading a socket does not notice an interrupt; without this, closing the
 * provider while a backend hangs would leave its batch threads (and callers) blocked until the read
 * time-out. Aborting a call drops its connection, so the blocked read fails at once. A call counts
 * as in flight from its request until its answer's body is closed.
 */
final class InFlightCalls implements SdkHttpClient {
  private final SdkHttpClient delegate;
  private final Set<ExecutableHttpRequest> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  InFlightCalls(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest call = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        open.add(call);
        boolean bodyOpen = false;
        try {
          if (closed) {
            throw new IOException("the provider is closed");
          }
          HttpExecuteResponse response = call.call();
          Optional<AbortableInputStream> body = response.responseBody();
          if (body.isEmpty()) {
            return response;
          }
          bodyOpen = true;
          return HttpExecuteResponse.builder()
              .response(response.httpResponse())
              .responseBody(AbortableInputStream.create(new Tracked(body.get(), call), body.get()))
              .build();
        } finally {
          if (!bodyOpen) {
            open.remove(call);
          }
        }
      }

      @Override
      public void abort() {
        call.abort();
      }
    };
  }

  /** Returns how many calls are in flight; for tests. */
  int inFlight() {
    return open.size();
  }

  /** Aborts the calls in flight, refuses new ones, and closes the SDK's client. */
  @Override
  public void close() {
    closed = true;
    for (ExecutableHttpRequest call : open) {
      call.abort();
    }
    delegate.close();
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  /** Builds the SDK's client wrapped, so that the SDK owns the wrapper and closes it. */
  static final class Builder implements SdkHttpClient.Builder<Builder> {
    private final SdkHttpClient.Builder<?> delegate;

    Builder(SdkHttpClient.Builder<?> delegate) {
      this.delegate = delegate;
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap defaults) {
      return new InFlightCalls(delegate.buildWithDefaults(defaults));
    }
  }

  /** A body that ends its call's time in flight when closed. */
  private final class Tracked extends FilterInputStream {
    private final ExecutableHttpRequest call;

    Tracked(AbortableInputStream in, ExecutableHttpRequest call) {
      super(in);
      this.call = call;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        open.remove(call);
      }
    }
  }
}
