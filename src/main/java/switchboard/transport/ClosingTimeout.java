package switchboard.transport;

import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * The end of a close we started: TCP ends when the client has its last bytes (or answers), or at the latest
 * after the closing timeout, so a client that stops reading cannot keep its socket. For WebSockets and event
 * streams alike. Call on the channel's event loop.
 */
final class ClosingTimeout {

  private ClosingTimeout() {
  }

  /** Closes the channel after {@code millis}, unless it is closed by then. */
  static void closeAfter(ChannelHandlerContext ctx, long millis) {
    ctx.executor().schedule(() -> {
      if (ctx.channel().isOpen()) {
        ctx.close();
      }
    }, millis, TimeUnit.MILLISECONDS);
  }
}
