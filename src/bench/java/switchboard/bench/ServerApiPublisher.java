package switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An outside publisher over HTTP ({@code --api-key}), one request per message, pipelined on one keep-alive
 * HTTP/1.1 connection, so messages are published in order and the tool pays no request/response round trip
 * per message: Centrifugo's server API ({@code POST /api/publish}, the payload, ASCII without quotes, as a
 * JSON string) for protocol clients, or the publish API ({@code POST /api/publish/{channel}} with a bearer
 * token, the payload as the body) for the chat. Answers are only scanned: one that is not 200 is reported
 * once on stderr.
 */
final class ServerApiPublisher extends ChannelInboundHandlerAdapter {

  private static final byte[] OK = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
  private final String head;
  /** The publish API's raw body and bearer token, rather than Centrifugo's JSON command. */
  private final boolean raw;
  private final String hostAndToken;
  private Channel channel;
  private boolean reported;

  private ServerApiPublisher(URI base, String key, boolean raw) {
    this.raw = raw;
    this.head = "POST /api/publish HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
        + "\r\nX-API-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: ";
    this.hostAndToken = " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nAuthorization: Bearer " + key
        + "\r\nContent-Length: ";
  }

  /** {@code raw}: the chat's publish API (bearer token, raw body); otherwise Centrifugo's server API. */
  static CompletableFuture<ServerApiPublisher> connect(EventLoopGroup group, URI base, String key, boolean raw) {
    ServerApiPublisher publisher = new ServerApiPublisher(base, key, raw);
    CompletableFuture<ServerApiPublisher> result = new CompletableFuture<>();
    new Bootstrap().group(group).channel(ToolIo.socketChannel(group))
        .handler(publisher).connect(base.getHost(), base.getPort())
        .addListener(f -> {
          if (f.isSuccess()) {
            publisher.channel = ((io.netty.channel.ChannelFuture) f).channel();
            result.complete(publisher);
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  void publish(String channelName, byte[] payload) {
    if (raw) {
      String start = "POST /api/publish/" + channelName + hostAndToken + payload.length + "\r\n\r\n";
      ByteBuf request = channel.alloc().buffer(start.length() + payload.length);
      request.writeCharSequence(start, StandardCharsets.US_ASCII);
      request.writeBytes(payload);
      channel.writeAndFlush(request, channel.voidPromise());
      return;
    }
    byte[] body = ("{\"channel\":\"" + channelName + "\",\"data\":\"" + new String(payload, StandardCharsets.US_ASCII) + "\"}")
        .getBytes(StandardCharsets.US_ASCII);
    ByteBuf request = channel.alloc().buffer(head.length() + 16 + body.length);
    request.writeCharSequence(head + body.length + "\r\n\r\n", StandardCharsets.US_ASCII);
    request.writeBytes(body);
    channel.writeAndFlush(request, channel.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf answers = (ByteBuf) msg;
    try {
      // answers may split anywhere; a status line other than 200 is what matters, and it starts "HTTP/1.1 "
      int at = answers.indexOf(answers.readerIndex(), answers.writerIndex(), (byte) 'H');
      if (!reported && at >= 0 && answers.writerIndex() - at >= OK.length) {
        for (int i = 0; i < OK.length; i++) {
          if (answers.getByte(at + i) != OK[i]) {
            reported = true;
            System.err.println("bench: the server API answered " + answers.toString(at, Math.min(200, answers.writerIndex() - at),
                StandardCharsets.US_ASCII));
            break;
          }
        }
      }
    } finally {
      answers.release();
    }
  }
}
