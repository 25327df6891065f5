package switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal WebSocket client for load: raw Netty sockets, a hand-written upgrade, and frames scanned in
 * place in the receive buffer, with no object per message. Much cheaper than a full client, so the
 * load generator is not the bottleneck. Text and binary payloads are handed to a {@link Receiver} as a
 * range of the receive buffer.
 */
final class RawWebSocket extends ChannelInboundHandlerAdapter implements BenchClient {

  /**
   * Gets each message's payload: the bytes of {@code buffer} from {@code from} to {@code to} (exclusive).
   * Called on the socket's event loop, with the client's own receive buffer: read it with absolute gets,
   * during the call only. No slice is made for it: one object per delivery was nearly all the tool's
   * garbage (JFR), and its collections stopped the tool for 15-55 ms inside measured windows.
   */
  interface Receiver {
    void received(ByteBuf buffer, int from, int to, long nanoTime);
  }

  private static final io.netty.handler.ssl.SslContext TLS = clientTls();

  private static io.netty.handler.ssl.SslContext clientTls() {
    try {
      return io.netty.handler.ssl.SslContextBuilder.forClient()
          .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  private final Receiver receiver;
  private final String path;
  private final String host;
  private final CompletableFuture<RawWebSocket> opened = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  /** Bytes of an incomplete frame (or handshake) left over from the previous read; usually empty. */
  private ByteBuf pending;
  private boolean upgraded;
  private Channel channel;
  /** Set by {@link #speakCentrifuge}: answer the server's {@code {}} pings. */
  private volatile boolean centrifuge;
  private static final byte[] PONG = {'{', '}'};

  private RawWebSocket(String host, String path, Receiver receiver) {
    this.host = host;
    this.path = path;
    this.receiver = receiver;
  }

  /**
   * Connects and upgrades; {@code localAddress} may be null or a 127.0.0.x to spread source ports. A
   * {@code wss://} URI gets TLS (any server certificate is accepted: this measures, it does not protect).
   */
  static CompletableFuture<RawWebSocket> connect(EventLoopGroup group, URI uri, String localAddress, Receiver receiver) {
    RawWebSocket ws = new RawWebSocket(uri.getHost() + ":" + uri.getPort(), uri.getRawPath(), receiver);
    boolean tls = "wss".equals(uri.getScheme());
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(ToolIo.socketChannel(group))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(!tls ? ws : new io.netty.channel.ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(TLS.newHandler(ch.alloc(), uri.getHost(), uri.getPort()), ws);
          }
        });
    InetSocketAddress remote = new InetSocketAddress(uri.getHost(), uri.getPort());
    ChannelFuture connecting = localAddress == null ? bootstrap.connect(remote)
        : bootstrap.connect(remote, new InetSocketAddress(localAddress, 0));
    connecting.addListener(f -> {
      if (!f.isSuccess()) {
        ws.opened.completeExceptionally(f.cause());
      }
    });
    return ws.opened;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    pending = ctx.alloc().heapBuffer(256);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    ByteBuf in = (ByteBuf) msg;
    try {
      if (!upgraded) {
        pending.writeBytes(in);
        if (!readHandshake(ctx)) {
          return;
        }
        in = pending;
      } else if (pending.isReadable()) {
        pending.writeBytes(in);
        in = pending;
      }
      // the common case: whole frames straight from the read buffer, no copy
      scanFrames(in, now);
      if (in != pending && in.isReadable()) {
        pending.writeBytes(in);
      }
      pending.discardReadBytes();
    } finally {
      ((ByteBuf) msg).release();
    }
  }

  private boolean readHandshake(ChannelHandlerContext ctx) {
    int end = indexOf(pending, "\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = pending.toString(pending.readerIndex(), end - pending.readerIndex(), StandardCharsets.US_ASCII);
    pending.readerIndex(end + 4);
    if (!head.startsWith("HTTP/1.1 101")) {
      opened.completeExceptionally(new IllegalStateException("upgrade refused: " + head.lines().findFirst().orElse("")));
      ctx.close();
      return false;
    }
    upgraded = true;
    opened.complete(this);
    return true;
  }

  private void scanFrames(ByteBuf pending, long now) {
    while (pending.readableBytes() >= 2) {
      int start = pending.readerIndex();
      int opcode = pending.getByte(start) & 0x0F;
      int len7 = pending.getByte(start + 1) & 0x7F;
      int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
      if (pending.readableBytes() < header) {
        return;
      }
      long length = len7 < 126 ? len7 : len7 == 126 ? pending.getUnsignedShort(start + 2) : pending.getLong(start + 2);
      if (pending.readableBytes() < header + length) {
        return;
      }
      int from = start + header;
      int to = from + (int) length;
      pending.readerIndex(to);
      if (centrifuge && opcode == 1 && length == 2 && pending.getByte(from) == '{' && pending.getByte(from + 1) == '}') {
        sendText(PONG); // the protocol's ping
      } else if (opcode == 1 || opcode == 2 || opcode == 0) {
        receiver.received(pending, from, to, now);
      } else if (opcode == 8) {
        closed.complete(length >= 2 ? pending.getUnsignedShort(from) : 1005);
        channel.close();
      } else if (opcode == 9) {
        send(0xA, pending.copy(from, to - from));
      }
    }
  }

  /**
   * Speaks Centrifugo's client protocol from here on: connects anonymously and subscribes to
   * {@code channel} (both commands in one frame), and answers the server's {@code {}} pings.
   */
  RawWebSocket speakCentrifuge(String channel) {
    centrifuge = true;
    sendText(("{\"id\":1,\"connect\":{}}\n{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}")
        .getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** A Centrifugo publish command with {@code payload} (ASCII, no quotes) as a JSON string. */
  void sendCentrifugePublish(long id, String channelName, byte[] payload) {
    byte[] head = ("{\"id\":" + id + ",\"publish\":{\"channel\":\"" + channelName + "\",\"data\":\"")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = "\"}}".getBytes(StandardCharsets.US_ASCII);
    send(0x1, channel.alloc().buffer(head.length + payload.length + tail.length).writeBytes(head).writeBytes(payload).writeBytes(tail));
  }

  /** Sends one masked text frame (clients must mask, RFC 6455 §5.3). */
  void sendText(byte[] utf8) {
    send(0x1, channel.alloc().buffer(utf8.length).writeBytes(utf8));
  }

  private void send(int opcode, ByteBuf payload) {
    int length = payload.readableBytes();
    ByteBufAllocator alloc = channel.alloc();
    ByteBuf frame = alloc.buffer(14 + length);
    frame.writeByte(0x80 | opcode);
    if (length < 126) {
      frame.writeByte(0x80 | length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(0x80 | 126).writeShort(length);
    } else {
      frame.writeByte(0x80 | 127).writeLong(length);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    frame.writeInt(mask);
    for (int i = 0; i < length; i++) {
      frame.writeByte(payload.getByte(payload.readerIndex() + i) ^ (mask >>> (8 * (3 - (i & 3)))));
    }
    payload.release();
    channel.writeAndFlush(frame, channel.voidPromise());
  }

  Channel channel() {
    return channel;
  }

  @Override
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed.complete(1006);
    opened.completeExceptionally(new IllegalStateException("connection closed before the upgrade"));
    pending.release();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  static int indexOf(ByteBuf buf, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = buf.readerIndex(); i <= buf.writerIndex() - n.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (buf.getByte(i + j) != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
