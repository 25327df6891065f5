package switchboard.internal;


import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;


import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;


/**
 * The wire floor: the least a fan-out server pays on this machine. A WebSocket server with nothing but
 * what every server must do: each text frame a client sends goes back out to every connection, built once
 * and sent by one {@code send(2)} per connection. No app, no channels, no checks, no limits, so it
 * listens on 127.0.0.1 only. {@code ./run.sh compare} runs it beside Switchboard and Node, so the latency
 * the kernel alone costs (its loopback TCP work, charged to the sender) is measured in the same run.
 * <p>It lives in the load generator's source set but in the fence's package: it measures the fenced send
 * path ({@link DirectSend}) itself, not a copy of it, and nothing else outside the fence may use that.
 * {@code java -cp target/switchboard-bench.jar switchboard.internal.FloorServer PORT}; epoll only; one thread.
 */
public final class FloorServer extends ChannelInboundHandlerAdapter {

  private static final ByteBuf HEAD_END = io.netty.buffer.Unpooled.unreleasableBuffer(
      io.netty.buffer.Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII));

  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** Each upgraded connection and its one-send(2) path, in the order they came. */
  private final Map<Channel, DirectSend> connections;
  private ByteBuf pending;
  private boolean upgraded;

  private FloorServer(Map<Channel, DirectSend> connections) {
    this.connections = connections;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Epoll.isAvailable()) {
      System.err.println("usage: FloorServer PORT (Linux with epoll only)");
      System.exit(2);
    }
    Channel server = start(new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()), Integer.parseInt(args[0]));
    System.err.printf(Locale.ROOT, "floor server on %s%n", server.localAddress());
    server.closeFuture().sync();
  }

  /** Listens on 127.0.0.1:{@code port} (0: any free port) on the first loop of {@code loop}; returns the listening channel. */
  public static Channel start(EventLoopGroup loop, int port) throws InterruptedException {
    EventLoop one = loop.next(); // every connection on this loop, so the map needs no lock
    Map<Channel, DirectSend> connections = new LinkedHashMap<>();
    return new ServerBootstrap().group(one).channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<EpollSocketChannel>() {
          @Override
          protected void initChannel(EpollSocketChannel ch) {
            ch.pipeline().addLast(new FloorServer(connections));
          }
        })
        .bind("127.0.0.1", port).sync().channel(); // loopback only: it has no limits
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    ByteBuf in = (ByteBuf) msg;
    if (pending == null) {
      pending = ctx.alloc().heapBuffer(256);
    }
    pending.writeBytes(in);
    in.release();
    if (!upgraded && !upgrade(ctx)) {
      return;
    }
    readFrames(ctx);
    pending.discardReadBytes();
  }

  private boolean upgrade(ChannelHandlerContext ctx) throws Exception {
    int end = io.netty.buffer.ByteBufUtil.indexOf(HEAD_END, pending);
    if (end < 0) {
      return false;
    }
    String head = pending.readCharSequence(end + 4 - pending.readerIndex(), StandardCharsets.US_ASCII).toString();
    String key = head.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
        .map(l -> l.substring(18).trim()).findFirst().orElse(null);
    if (key == null) {
      ctx.writeAndFlush(ascii(ctx, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
          .addListener(f -> ctx.close());
      return false;
    }
    String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
        .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
    ctx.writeAndFlush(ascii(ctx, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n"));
    upgraded = true;
    connections.put(ctx.channel(), DirectSend.of(ctx.channel()));
    return true;
  }

  /** Client frames are masked (RFC 6455 §5.3); unfragmented text and binary frames are fanned out. */
  private void readFrames(ChannelHandlerContext ctx) {
    while (pending.readableBytes() >= 2) {
      int start = pending.readerIndex();
      int opcode = pending.getByte(start) & 0x0F;
      int len7 = pending.getByte(start + 1) & 0x7F;
      int header = (len7 < 126 ? 2 : len7 == 126 ? 4 : 10) + 4;
      if (pending.readableBytes() < header) {
        return;
      }
      long length = len7 < 126 ? len7 : len7 == 126 ? pending.getUnsignedShort(start + 2) : pending.getLong(start + 2);
      if (length > 0xFFFF || opcode == 8 || opcode == 0) {
        ctx.close(); // a close, a continuation or a frame over 64 KiB: this reference server does not do those
        return;
      }
      if (pending.readableBytes() < header + length) {
        return;
      }
      int mask = pending.getInt(start + header - 4);
      int from = start + header;
      pending.readerIndex(from + (int) length);
      if (opcode == 1 || opcode == 2) {
        fanOut(opcode, mask, from, (int) length);
      }
    }
  }

  private void fanOut(int opcode, int mask, int from, int length) {
    ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(4 + length);
    frame.writeByte(0x80 | opcode);
    if (length < 126) {
      frame.writeByte(length);
    } else {
      frame.writeByte(126).writeShort(length);
    }
    for (int i = 0; i < length; i++) {
      frame.writeByte(pending.getByte(from + i) ^ (mask >>> (8 * (3 - (i & 3)))));
    }
    // the same one-send(2) path as Switchboard's deliveries (DirectSend), without anything around it
    for (Map.Entry<Channel, DirectSend> connection : connections.entrySet()) {
      int sent = connection.getValue().trySend(frame);
      if (sent < frame.readableBytes()) {
        // the rest waits behind Netty's queue, in order (rare here: the tool reads fast)
        connection.getKey().writeAndFlush(frame.retainedSlice(frame.readerIndex() + sent, frame.readableBytes() - sent),
            connection.getKey().voidPromise());
      }
    }
    frame.release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connections.remove(ctx.channel());
    if (pending != null) {
      pending.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private static ByteBuf ascii(ChannelHandlerContext ctx, String text) {
    return ctx.alloc().buffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
  }
}
