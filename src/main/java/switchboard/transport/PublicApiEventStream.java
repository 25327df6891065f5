package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

/**
 * A Server-Sent Events client's {@link Outbound} on Vert.x's public response API: with
 * {@code transport.fastPath: false}, or when Vert.x's HTTP pipeline is not the one the fast path was written
 * for. The same events as {@link SseOutbound}; each one is copied out of its chunk into a Vert.x buffer and
 * written (and flushed) on its own, and the response's write queue is the budget. Event-loop confined.
 */
final class PublicApiEventStream implements Outbound {

  private static final Buffer PING = Buffer.buffer(SseFormat.PING);

  private final HttpServerResponse response;
  private final HttpConnection connection;
  private boolean ended;

  PublicApiEventStream(HttpServerResponse response, HttpConnection connection, int writeQueueBytes) {
    this.response = response;
    this.connection = connection;
    response.setWriteQueueMaxSize(writeQueueBytes);
  }

  @Override
  public Result write(ByteBuf encoded) {
    try {
      return writeShared(encoded);
    } finally {
      encoded.release();
    }
  }

  @Override
  public Result writeShared(ByteBuf encoded) {
    if (ended || response.closed()) {
      return Result.GONE;
    }
    response.write(Buffer.buffer(ByteBufUtil.getBytes(SseFormat.event(encoded))));
    return response.writeQueueFull() ? Result.OVER_BUDGET : Result.QUEUED;
  }

  @Override
  public Result ping() {
    if (ended || response.closed()) {
      return Result.GONE;
    }
    response.write(PING);
    return response.writeQueueFull() ? Result.OVER_BUDGET : Result.QUEUED;
  }

  @Override
  public void close(short code, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (response.closed()) {
      return;
    }
    response.write(SseFormat.closingComment(code, reason));
    response.end().onComplete(v -> connection.close());
  }

  @Override
  public void stopReading() {
    // nothing is read from an event stream after its request
  }

  @Override
  public boolean answersPings() {
    return false;
  }
}
