package switchboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.IovArray;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;

import java.io.IOException;

/**
 * Sends a frame to an epoll socket with one {@code send(2)}, skipping Netty's outbound buffer, pipeline walk
 * and flush, when nothing of that socket is queued in Netty (so the byte order cannot change). At a steady
 * 100 messages/s those steps were about a quarter of the server's CPU per delivery (async-profiler); under
 * load the caller queues instead, so that several frames still leave in one {@code writev}.
 * Package-private: the transport reaches it as a {@link DirectSender} through {@link VertxInternals}.
 * Event-loop confined.
 */
final class DirectSend implements DirectSender {

  private final Channel channel;
  private final Socket socket;
  /**
   * The channel's outbound buffer, held here: Netty makes one per channel and never replaces it (it only
   * drops its own reference on close or output shutdown, and the buffer then drains to 0). Reaching it and
   * the socket's open state from this object, and not through the context, pipeline, channel and unsafe,
   * saves four objects per subscriber per pass that are cold in a fan-out to 1,000 sockets: those loads were
   * a fifth of the event loop's samples in the closed loop (async-profiler, session 20).
   */
  private final ChannelOutboundBuffer outbound;

  private DirectSend(Channel channel, Socket socket) {
    this.channel = channel;
    this.socket = socket;
    this.outbound = channel.unsafe().outboundBuffer();
  }

  /**
   * For bytes written at {@code writePoint} of a native (epoll) socket with no outbound handler below that
   * point (toward the head); null otherwise (NIO, TLS, any handler that transforms bytes on their way out
   * keeps Netty's path). Handlers above the write point never see what is written there, so they do not
   * count.
   */
  static DirectSend below(io.netty.channel.ChannelHandlerContext writePoint) {
    Channel channel = writePoint.channel();
    if (channel instanceof EpollSocketChannel epoll && epoll.fd() instanceof Socket socket
        && outboundHandlersBelow(writePoint).isEmpty()) {
      return new DirectSend(channel, socket);
    }
    return null;
  }

  /** For a whole pipeline: the wire floor's, whose handler writes at its own context. */
  static DirectSend of(Channel channel) {
    return channel instanceof EpollSocketChannel epoll && epoll.fd() instanceof Socket socket
        && outboundHandlers(channel.pipeline()).isEmpty() ? new DirectSend(channel, socket) : null;
  }

  /** The names of the handlers in {@code pipeline} that touch outbound bytes; empty when bytes go straight out. */
  static java.util.List<String> outboundHandlers(io.netty.channel.ChannelPipeline pipeline) {
    java.util.List<String> found = new java.util.ArrayList<>();
    for (java.util.Map.Entry<String, io.netty.channel.ChannelHandler> handler : pipeline) {
      if (handler.getValue() instanceof io.netty.channel.ChannelOutboundHandler) {
        found.add(handler.getKey());
      }
    }
    return found;
  }

  /** The names of the handlers between the head and {@code writePoint} (excluded) that touch outbound bytes. */
  static java.util.List<String> outboundHandlersBelow(io.netty.channel.ChannelHandlerContext writePoint) {
    java.util.List<String> found = new java.util.ArrayList<>();
    for (java.util.Map.Entry<String, io.netty.channel.ChannelHandler> handler : writePoint.pipeline()) {
      if (handler.getValue() == writePoint.handler()) {
        return found;
      }
      if (handler.getValue() instanceof io.netty.channel.ChannelOutboundHandler) {
        found.add(handler.getKey());
      }
    }
    throw new IllegalArgumentException("not in its pipeline any more: " + writePoint.name());
  }

  /** The socket's file descriptor, for a writev batched in a {@link SendRing}. */
  int fd() {
    return socket.intValue();
  }

  @Override
  public boolean isOpen() {
    // Netty's doClose marks the channel inactive, deregisters it, then closes the socket; only a pending
    // connect's listeners could run between, and an accepted socket has none: the same answer as isActive()
    return socket.isOpen();
  }

  @Override
  public long pendingBytes() {
    return outbound == null ? 0 : outbound.totalPendingWriteBytes();
  }

  /** Bytes written to the channel and not yet taken by the kernel (flushed or not); 0 once it is closed. */
  static long pendingBytes(Channel channel) {
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    return queued == null ? 0 : queued.totalPendingWriteBytes();
  }

  /**
   * Writes what the socket takes of {@code frame} now, without consuming it: the number of bytes sent,
   * or 0 when the frame must go through Netty (bytes already queued there, a buffer without an address,
   * a full socket buffer, or a socket error that Netty's own write will then report and close on).
   */
  @Override
  public int trySend(ByteBuf frame) {
    if (!socket.isOpen() || pendingBytes() > 0 || !frame.hasMemoryAddress()) {
      return 0;
    }
    try {
      return socket.sendAddress(frame.memoryAddress(), frame.readerIndex(), frame.writerIndex());
    } catch (IOException e) {
      return 0;
    }
  }

  // The pipeline's walk to its head cost about a tenth of the event loop's time under closed-loop fan-out
  // (async-profiler: each hop loads another context of another channel). With no outbound handler in the
  // pipeline (checked in of()), the head's write and flush are exactly what the walk would end in.
  @Override
  public void queue(ByteBuf frame) {
    channel.unsafe().write(frame, channel.voidPromise());
  }

  @Override
  public void flush() {
    channel.unsafe().flush();
  }

  /** One iovec array per event-loop thread, reused for every socket's writev there. */
  private static final FastThreadLocal<IovArray> IOV = new FastThreadLocal<>() {
    @Override
    protected IovArray initialValue() {
      return new IovArray();
    }

    @Override
    protected void onRemoval(IovArray iov) {
      iov.release();
    }
  };

  @Override
  public long trySendAll(ByteBuf[] frames, int count) {
    if (!socket.isOpen()) {
      return 0;
    }
    IovArray iov = IOV.get();
    iov.clear();
    try {
      for (int i = 0; i < count; i++) {
        ByteBuf frame = frames[i];
        // what does not fit (IOV_MAX, or a buffer without an address) is left for Netty, after these
        if (!frame.hasMemoryAddress() || !iov.add(frame, frame.readerIndex(), frame.readableBytes())) {
          break;
        }
      }
      return iov.count() == 0 ? 0 : socket.writevAddresses(iov.memoryAddress(0), iov.count());
    } catch (IOException e) {
      return 0;
    } finally {
      iov.clear();
    }
  }
}
