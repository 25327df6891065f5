package switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal Server-Sent Events subscriber for load: Netty's HTTP client codec undoes the chunked encoding,
 * and each {@code data:} line's bytes are handed to the {@link RawWebSocket.Receiver} as a slice valid only
 * during the call (no object per event), like {@link RawWebSocket} does for frames.
 */
final class RawSse extends SimpleChannelInboundHandler<HttpObject> implements BenchClient {

  private static final byte[] DATA = {'d', 'a', 't', 'a', ':', ' '};

  private final RawWebSocket.Receiver receiver;
  private final String path;
  private final String host;
  private final CompletableFuture<BenchClient> opened = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private ByteBuf pending;
  private Channel channel;

  private RawSse(String host, String path, RawWebSocket.Receiver receiver) {
    this.host = host;
    this.path = path;
    this.receiver = receiver;
  }

  static CompletableFuture<BenchClient> connect(EventLoopGroup group, URI uri, String localAddress, RawWebSocket.Receiver receiver) {
    RawSse sse = new RawSse(uri.getHost() + ":" + uri.getPort(), uri.getRawPath(), receiver);
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), sse);
          }
        });
    InetSocketAddress remote = new InetSocketAddress(uri.getHost(), uri.getPort());
    (localAddress == null ? bootstrap.connect(remote) : bootstrap.connect(remote, new InetSocketAddress(localAddress, 0)))
        .addListener(f -> {
          if (!f.isSuccess()) {
            sse.opened.completeExceptionally(f.cause());
          }
        });
    return sse.opened;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    pending = ctx.alloc().heapBuffer(256);
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    request.headers().set(HttpHeaderNames.HOST, host).set(HttpHeaderNames.ACCEPT, "text/event-stream");
    ctx.writeAndFlush(request);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    long now = System.nanoTime();
    if (msg instanceof HttpResponse response) {
      if (response.status().code() != 200) {
        opened.completeExceptionally(new IllegalStateException("event stream refused: " + response.status()));
        ctx.close();
        return;
      }
      opened.complete(this);
    }
    if (msg instanceof HttpContent content) {
      pending.writeBytes(content.content());
      lines(now);
      pending.discardReadBytes();
    }
  }

  /** Hands over every complete data: line; the rest (id:, retry:, comments, blank lines) is skipped. */
  private void lines(long now) {
    while (true) {
      int start = pending.readerIndex();
      int end = pending.indexOf(start, pending.writerIndex(), (byte) '\n');
      if (end < 0) {
        return;
      }
      if (end - start >= DATA.length && startsWithData(start)) {
        receiver.received(pending.slice(start + DATA.length, end - start - DATA.length), now);
      }
      pending.readerIndex(end + 1);
    }
  }

  private boolean startsWithData(int at) {
    for (int i = 0; i < DATA.length; i++) {
      if (pending.getByte(at + i) != DATA[i]) {
        return false;
      }
    }
    return true;
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
    if (pending != null) {
      pending.release();
      pending = null;
    }
    opened.completeExceptionally(new IllegalStateException("the connection ended before the event stream began"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
