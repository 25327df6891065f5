package switchboard.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * How the tool's own sockets meet the kernel ({@code --io}): {@code io_uring}, where a loop pass's receives
 * complete in a ring with no system call each (the default where the kernel allows it), or {@code epoll},
 * one {@code read(2)} per readable socket. The tool reads every delivery, so where a system call is dear
 * (1.1 µs on session 21's VM) epoll's reads made the tool the bottleneck of the closed loop and of its own
 * latency figures; whichever it is, it is the same for every server it measures, and each report names it
 * ({@code tool_io}). An io_uring asked for and unavailable stops the tool with the reason rather than
 * measuring something else.
 */
final class ToolIo {

  private ToolIo() {
  }

  /**
   * The default for a run against {@code url}: io_uring where this kernel and Netty's native library allow
   * it, else epoll; and epoll for {@code wss://}. Once in a clean-clone CI run (session 21), one of 20
   * io_uring sockets under Netty's SslHandler closed before its upgrade, with nothing in the server's log;
   * until that is understood, TLS runs keep the reads they were measured with before.
   */
  static String preferred(java.net.URI url) {
    return IoUring.isAvailable() && !"wss".equals(url.getScheme()) ? "io_uring" : "epoll";
  }

  /** The names {@code --io} takes. */
  static String checked(String name) {
    if (!name.equals("epoll") && !name.equals("io_uring")) {
      throw new IllegalArgumentException("--io is epoll or io_uring, not " + name);
    }
    return name;
  }

  /** An event-loop group of {@code threads} for sockets of kind {@code io} (off Linux, epoll falls back to NIO). */
  static EventLoopGroup group(String io, int threads) {
    IoHandlerFactory handlers;
    if (io.equals("io_uring")) {
      if (!IoUring.isAvailable()) {
        throw new IllegalStateException("--io io_uring: io_uring is unavailable here: " + IoUring.unavailabilityCause());
      }
      handlers = IoUringIoHandler.newFactory();
    } else {
      handlers = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }
    return new MultiThreadIoEventLoopGroup(threads, handlers);
  }

  /** The socket class that registers with {@code group}'s loops. */
  static Class<? extends Channel> socketChannel(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup loops) {
      if (loops.isIoType(IoUringIoHandler.class)) {
        return IoUringSocketChannel.class;
      }
      if (loops.isIoType(EpollIoHandler.class)) {
        return EpollSocketChannel.class;
      }
    }
    return NioSocketChannel.class;
  }
}
