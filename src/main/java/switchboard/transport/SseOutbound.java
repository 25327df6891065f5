package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events client's {@link Outbound} on the fast path: every event is one chunk of the streamed
 * response, already framed by {@link SseFormat}, written below Vert.x's HTTP encoder through a
 * {@link SocketWriter}, as a WebSocket's frames are (a view of the shared bytes, direct sends, the cork, the
 * one write budget). Closing ends the stream and the connection: SSE has no close code, so the code and
 * reason go first as a comment line. Event-loop confined.
 */
final class SseOutbound implements Outbound {

  private static final byte[] PING = SseFormat.PING.getBytes(StandardCharsets.US_ASCII);

  private final SocketWriter writer;
  private final HttpServerResponse response;
  private final HttpConnection connection;
  private boolean ended;

  SseOutbound(SocketWriter writer, HttpServerResponse response, HttpConnection connection) {
    this.writer = writer;
    this.response = response;
    this.connection = connection;
  }

  /** {@code text}, whole, as one chunk (a heartbeat, a comment). */
  private ByteBuf chunk(byte[] text) {
    ByteBuf chunk = writer.writePoint().alloc().directBuffer(text.length + 12);
    chunk.writeCharSequence(Integer.toHexString(text.length), StandardCharsets.US_ASCII);
    return chunk.writeByte('\r').writeByte('\n').writeBytes(text).writeByte('\r').writeByte('\n');
  }

  @Override
  public Result write(ByteBuf chunk) {
    if (ended) {
      chunk.release();
      return Result.GONE;
    }
    return writer.write(chunk);
  }

  @Override
  public Result writeShared(ByteBuf chunk) {
    return ended ? Result.GONE : writer.writeShared(chunk);
  }

  @Override
  public Result ping() {
    return ended ? Result.GONE : writer.write(chunk(PING));
  }

  @Override
  public void close(short code, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (!writer.isActive()) {
      return;
    }
    writer.write(chunk(SseFormat.closingComment(code, reason).getBytes(StandardCharsets.UTF_8)));
    writer.flushNow();
    // the last chunk through Vert.x, which owns the response's state; then the connection: the stream is over
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
