package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events client's {@link Outbound} on the fast path: every event is one chunk of the streamed
 * response, already framed by {@link SseFormat}, written through a {@link SocketWriter} as a WebSocket's
 * frames are (a view of the shared bytes, direct sends, the cork, the one write budget). The channel is ours
 * ({@link EventStreamHandler}; Vert.x's HTTP codec is gone), so closing writes the stream's end itself. SSE
 * has no close code, so the code and reason go as a comment line, then the last chunk; TCP ends once they
 * are written, or after the closing timeout for a client that does not read. Event-loop confined.
 */
final class SseOutbound implements Outbound {

  private static final byte[] PING = SseFormat.PING.getBytes(StandardCharsets.US_ASCII);
  /** The chunked body's end: a chunk of size 0 and no trailers. */
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final SocketWriter writer;
  private final long closingTimeoutMillis;
  private boolean ended;

  SseOutbound(SocketWriter writer, long closingTimeoutMillis) {
    this.writer = writer;
    this.closingTimeoutMillis = closingTimeoutMillis;
  }

  /** {@code text}, whole, as one chunk (a heartbeat, a comment). */
  private ByteBuf chunk(byte[] text) {
    ByteBuf chunk = writer.writePoint().alloc().directBuffer(text.length + 12 + LAST_CHUNK.length);
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
    ChannelHandlerContext ctx = writer.writePoint();
    // the comment and the last chunk in one buffer; their few bytes are the last this client is sent
    writer.write(chunk(SseFormat.closingComment(code, reason).getBytes(StandardCharsets.UTF_8)).writeBytes(LAST_CHUNK));
    writer.flushNow();
    // queued after whatever the kernel has not taken yet: completes once all of it is written
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    ClosingTimeout.closeAfter(ctx, closingTimeoutMillis);
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
