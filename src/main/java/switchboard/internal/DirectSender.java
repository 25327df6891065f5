package switchboard.internal;

import io.netty.buffer.ByteBuf;

/**
 * One {@code send(2)} of a shared frame straight to a socket, past Netty ({@link VertxInternals#directSender}).
 * Event-loop confined.
 */
public interface DirectSender {

  /**
   * Writes what the socket takes of {@code frame} now, without consuming it: the number of bytes sent, or 0
   * when the frame must go through Netty (bytes already queued there, a full socket buffer, an error).
   */
  int trySend(ByteBuf frame);
}
