package io.latchkey.provider.gcp;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Watches one call's streams for what the server sent: whether an answer began (its headers) and
 * whether the server's own status arrived (its trailers).
 *
 * <p>gRPC reports a status the client made itself (a refused answer, a reset) with the same codes
 * as a status the server sent; where the status came from tells them apart, so that {@link
 * GcpErrors} never has to read a description.
 */
final class CallTrace extends ClientStreamTracer.Factory {
  private volatile boolean answerStarted;
  private volatile boolean statusFromServer;

  @Override
  public ClientStreamTracer newClientStreamTracer(
      ClientStreamTracer.StreamInfo info, Metadata headers) {
    return new ClientStreamTracer() {
      @Override
      public void inboundHeaders() {
        answerStarted = true;
      }

      @Override
      public void inboundTrailers(Metadata trailers) {
        statusFromServer = true;
      }
    };
  }

  /** Whether the server began an answer: its response headers arrived. */
  boolean answerStarted() {
    return answerStarted;
  }

  /** Whether the status that ended the call is the server's: its trailers arrived. */
  boolean statusFromServer() {
    return statusFromServer;
  }
}
