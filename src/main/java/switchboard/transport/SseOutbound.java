package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import switchboard.internal.FlushBatch;

import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events client's {@link Outbound}: every event goes as one chunk of the streamed response,
 * written in place of Vert.x's response writes (through the HTTP encoder): an {@code id:} line that counts
 * up per connection and a view of the shared event bytes (no copy) in one composite buffer (two chunks per
 * event halved the closed-loop rate). The channel's one outbound buffer
 * is the client's write budget, as for a WebSocket. Closing ends the stream and the connection: SSE has no
 * close code, so the code and reason go first as a comment line. Event-loop confined.
 */
final class SseOutbound implements Outbound, FlushBatch.Flushable {

  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ChannelHandlerContext channel;
  private final HttpServerResponse response;
  private final HttpConnection connection;
  private final FlushBatch flushes;
  private final int writeQueueBytes;
  private long nextId = 1;
  private boolean flushPending;
  private boolean ended;

  SseOutbound(ChannelHandlerContext channel, HttpServerResponse response, HttpConnection connection, FlushBatch flushes,
      int writeQueueBytes) {
    this.channel = channel;
    this.response = response;
    this.connection = connection;
    this.flushes = flushes;
    this.writeQueueBytes = writeQueueBytes;
  }

  private ByteBuf idLine() {
    ByteBuf line = channel.alloc().directBuffer(24);
    ByteBufUtil.writeAscii(line, "id: ");
    ByteBufUtil.writeAscii(line, Long.toString(nextId++));
    return line.writeByte('\n');
  }

  /** The id line and the event in one buffer: one chunk of the response, not two. */
  private ByteBuf withId(ByteBuf event) {
    return channel.alloc().compositeDirectBuffer(2).addComponents(true, idLine(), event);
  }

  @Override
  public Result write(ByteBuf bytes) {
    if (ended || !channel.channel().isActive()) {
      bytes.release();
      return Result.GONE;
    }
    channel.writeAndFlush(withId(bytes), channel.voidPromise());
    return overBudget() ? Result.OVER_BUDGET : Result.QUEUED;
  }

  @Override
  public Result writeShared(ByteBuf shared) {
    if (ended || !channel.channel().isActive()) {
      return Result.GONE;
    }
    channel.write(withId(shared.retainedDuplicate()), channel.voidPromise());
    if (overBudget()) {
      return Result.OVER_BUDGET;
    }
    if (!flushPending) {
      flushPending = true;
      flushes.flushSoon(this);
    }
    return Result.QUEUED;
  }

  private boolean overBudget() {
    return WriteBudget.exceeded(channel, writeQueueBytes);
  }

  @Override
  public void flushNow() {
    flushPending = false;
    channel.flush();
  }

  @Override
  public void ping() {
    if (!ended && channel.channel().isActive()) {
      channel.writeAndFlush(channel.alloc().buffer(PING.length).writeBytes(PING), channel.voidPromise());
    }
  }

  @Override
  public void close(short code, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (!channel.channel().isActive()) {
      return;
    }
    byte[] comment = (": closed " + code + " " + reason.replaceAll("[\r\n]", " ") + "\n\n").getBytes(StandardCharsets.UTF_8);
    channel.writeAndFlush(channel.alloc().buffer(comment.length).writeBytes(comment), channel.voidPromise());
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
