package switchboard.internal;

import io.netty.buffer.ByteBuf;

/**
 * One {@code send(2)} of a shared frame straight to a socket, past Netty ({@link VertxInternals#directSender}).
 * Event-loop confined.
 */
public interface DirectSender {

  /**
   * Whether the socket is still open: false from the moment Netty closes it. Read from the socket object
   * the sends use anyway, not through the channel (see {@link DirectSend}).
   */
  boolean isOpen();

  /** Bytes queued in the channel's outbound buffer and not yet taken by the kernel (flushed or not). */
  long pendingBytes();

  /**
   * Writes what the socket takes of {@code frame} now, without consuming it: the number of bytes sent, or 0
   * when the frame must go through Netty (bytes already queued there, a full socket buffer, an error).
   */
  int trySend(ByteBuf frame);

  /**
   * Queues {@code frame} (consumed) in the channel's outbound buffer at the pipeline's head, as a write
   * through the pipeline would, without walking it: there is no outbound handler to visit.
   */
  void queue(ByteBuf frame);

  /** Flushes the channel's outbound buffer, as the pipeline's head does on flush, without the walk. */
  void flush();

  /**
   * Writes {@code frames[0..count)} with one {@code writev(2)}, past Netty, without consuming them: the number
   * of bytes the kernel took (0 on a full socket buffer or an error, which Netty's own write of the rest then
   * meets). Call only while nothing of this socket is queued in Netty, or the byte order would change.
   */
  long trySendAll(ByteBuf[] frames, int count);
}
