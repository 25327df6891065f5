package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import switchboard.app.CloseCodes;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * An event stream's handler once Vert.x has handed its channel over ({@code VertxHandover.takeEventStream}),
 * alone in the pipeline: it tells the session when the channel ends, when the server shuts down gracefully,
 * and when the client sends anything after its request (a stream takes no input: closed with 1002, said in
 * the closing comment). Runs on the channel's event loop.
 */
final class EventStreamHandler extends ChannelInboundHandlerAdapter {

  private static final System.Logger LOG = System.getLogger(EventStreamHandler.class.getName());

  private final Session session;
  private boolean refused;

  EventStreamHandler(Session session) {
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean input = !(msg instanceof ByteBuf bytes) || bytes.isReadable();
    ReferenceCountUtil.release(msg);
    if (input && !refused) {
      refused = true;
      ctx.channel().config().setAutoRead(false);
      session.refuse(CloseCodes.PROTOCOL_ERROR, "an event stream takes no input after its request");
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    session.closed();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!session.shutdownOn(event)) {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(DEBUG, () -> session.id() + " socket error: " + cause);
    ctx.close();
  }
}
