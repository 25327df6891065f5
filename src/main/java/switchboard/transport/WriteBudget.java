package switchboard.transport;

import io.netty.channel.ChannelHandlerContext;
import switchboard.internal.VertxInternals;

/**
 * The one bound on bytes a client has not read, for every transport: everything queued for the client sits
 * in its channel's outbound buffer, so one number bounds deliveries, writes and control frames alike. Judged
 * after a flush, on what the kernel would not take: bytes that only wait for the end of this event-loop pass
 * (a burst being fanned out) are not a slow reader. Call on the channel's event loop.
 */
final class WriteBudget {

  private WriteBudget() {
  }

  /** True when, after letting the kernel take what it will, more than {@code budget} bytes still wait. */
  static boolean exceeded(ChannelHandlerContext channel, int budget) {
    if (VertxInternals.pendingBytes(channel.channel()) <= budget) {
      return false;
    }
    channel.flush();
    return VertxInternals.pendingBytes(channel.channel()) > budget;
  }
}
