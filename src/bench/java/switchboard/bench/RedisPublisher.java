package switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** An outside publisher for the {@code redis} mode: PUBLISH over a raw RESP connection; replies are ignored. */
final class RedisPublisher {

  private final Channel channel;

  private RedisPublisher(Channel channel) {
    this.channel = channel;
  }

  static CompletableFuture<RedisPublisher> connect(EventLoopGroup group, String uri) {
    URI parsed = URI.create(uri);
    CompletableFuture<RedisPublisher> result = new CompletableFuture<>();
    new Bootstrap().group(group).channel(ToolIo.socketChannel(group))
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
          }
        })
        .connect(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort())
        .addListener(f -> {
          if (f.isSuccess()) {
            result.complete(new RedisPublisher(((io.netty.channel.ChannelFuture) f).channel()));
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  void publish(String channelName, byte[] payload) {
    byte[] name = channelName.getBytes(StandardCharsets.UTF_8);
    ByteBuf command = channel.alloc().buffer(64 + payload.length);
    command.writeCharSequence("*3\r\n$7\r\nPUBLISH\r\n$" + name.length + "\r\n", StandardCharsets.US_ASCII);
    command.writeBytes(name).writeCharSequence("\r\n$" + payload.length + "\r\n", StandardCharsets.US_ASCII);
    command.writeBytes(payload).writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    channel.writeAndFlush(command, channel.voidPromise());
  }
}
