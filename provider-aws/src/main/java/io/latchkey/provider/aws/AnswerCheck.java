package io.latchkey.provider.aws;

import io.latchkey.provider.aws.AwsAnswers.AnswerRejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.Abortable;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Reads each answer's body before the SDK does: at most a cap of bytes, checked by {@link
 * AwsAnswers} when it is a success, then handed on to the SDK as the same bytes.
 *
 * <p>A body larger than its cap is refused as soon as its {@code Content-Length} or its first byte
 * over the cap says so, without reading the rest, and the connection is dropped. A body that ends
 * before its length (a reset, a closed connection) is a transport failure, as a failed connect is:
 * the I/O error goes on to the error mapper, which reports {@code UNAVAILABLE} (or {@code TIMEOUT}
 * for a read time-out).
 */
final class AnswerCheck implements ExecutionInterceptor {
  static final int SINGLE_CAP = AwsAnswers.SINGLE_CAP;

  static final int BATCH_CAP = AwsAnswers.BATCH_CAP;

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    try {
      return checked(context);
    } catch (AnswerRejected e) {
      // The SDK passes an SdkClientException thrown by an interceptor on with its cause (a
      // subclass would be rebuilt as its base type), so that the provider's catch of SDK failures
      // sends the verdict to the error mapper with every other.
      throw SdkClientException.create(e.getMessage(), e);
    }
  }

  private static Optional<InputStream> checked(Context.ModifyHttpResponse context) {
    Optional<InputStream> body = context.responseBody();
    if (body.isEmpty()) {
      return body;
    }
    String operation = operation(context.request());
    int cap = "BatchGetSecretValue".equals(operation) ? BATCH_CAP : SINGLE_CAP;
    InputStream in = body.get();
    long length =
        context
            .httpResponse()
            .firstMatchingHeader("Content-Length")
            .map(AnswerCheck::length)
            .orElse(-1L);
    if (length > cap) {
      drop(in);
      throw new AnswerRejected(tooLarge(operation, cap));
    }
    byte[] bytes = read(in, cap, operation);
    if (length >= 0 && bytes.length != length) {
      // HttpURLConnection ends a fixed-length body at the connection's end without complaint.
      throw SdkClientException.create(
          "the answer's body is shorter than its Content-Length",
          new EOFException("the body ended before its Content-Length"));
    }
    if (context.httpResponse().isSuccessful() && operation != null) {
      AwsAnswers.check(operation, bytes);
    }
    return Optional.of(new ByteArrayInputStream(bytes));
  }

  private static byte[] read(InputStream in, int cap, String operation) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + n > cap) {
          drop(in);
          throw new AnswerRejected(tooLarge(operation, cap));
        }
        out.write(buffer, 0, n);
      }
      in.close();
    } catch (IOException e) {
      // A body cut short is a transport failure, as a failed connect is; the I/O error stays the
      // cause for the error mapper to classify, and its text is never copied into a message.
      drop(in);
      throw SdkClientException.create("the answer's body could not be read", e);
    }
    return out.toByteArray();
  }

  private static long length(String header) {
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1; // The HTTP client has already refused a length it cannot read.
    }
  }

  /**
   * Drops the connection: reading the rest of an unwanted body only to reuse it is not worth it.
   */
  private static void drop(InputStream in) {
    if (in instanceof Abortable) {
      ((Abortable) in).abort();
    }
    try {
      in.close();
    } catch (IOException e) {
      // Already failed; the answer is refused either way.
    }
  }

  private static String tooLarge(String operation, int cap) {
    return "the answer to "
        + (operation == null ? "the call" : operation)
        + " is larger than "
        + (cap >> 20)
        + " MiB, more than the service sends";
  }

  private static String operation(SdkRequest request) {
    if (request instanceof GetSecretValueRequest) {
      return "GetSecretValue";
    }
    if (request instanceof DescribeSecretRequest) {
      return "DescribeSecret";
    }
    if (request instanceof BatchGetSecretValueRequest) {
      return "BatchGetSecretValue";
    }
    return null;
  }
}
