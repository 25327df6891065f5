package switchboard.internal;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ShutdownEvent;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;

/**
 * The few Vert.x internals Switchboard relies on, each behind one method (see package-info for why each is
 * needed and what to re-check on a Vert.x upgrade). Stateless, thread-safe.
 */
public final class VertxInternals {

  private VertxInternals() {
  }

  /** The Netty event loop behind an event-loop context (for flush batching and loop checks). */
  public static EventLoop eventLoop(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /**
   * A promise whose listeners run on {@code context}, even when it is completed on another thread (a
   * broker's reply on the Redis bridge's loop): the thread contract of every future a Connection returns.
   */
  public static <T> Promise<T> promiseOn(Context context) {
    return ((ContextInternal) context).promise();
  }

  /** True for the event Vert.x sends down each connection's pipeline when a server shuts down gracefully. */
  public static boolean isShutdown(Object event) {
    return event instanceof ShutdownEvent;
  }

  /**
   * The Netty context of Vert.x's handler for an HTTP/1 connection: writing there goes through the HTTP
   * encoder (a ByteBuf becomes one chunk of a chunked response) and skips Vert.x's response bookkeeping,
   * so a buffer shared by many subscribers is written as a view, with Netty's reference counting.
   */
  public static io.netty.channel.ChannelHandlerContext channelContext(io.vertx.core.http.HttpConnection connection) {
    return ((io.vertx.core.net.impl.ConnectionBase) connection).channelHandlerContext();
  }

  /** Really closes a Redis connection: a pooled connection's close() would hand a dead socket back to the pool. */
  public static void forceClose(RedisConnection connection) {
    if (connection instanceof PooledRedisConnection pooled) {
      pooled.actual().forceClose();
    } else if (connection != null) {
      connection.close();
    }
  }

  /**
   * The one-{@code send(2)} path past Netty for a native (epoll) socket whose pipeline has no outbound
   * handler; null otherwise (NIO, TLS, any handler that transforms bytes on their way out keeps Netty's path).
   */
  public static DirectSender directSender(io.netty.channel.Channel channel) {
    return DirectSend.of(channel);
  }

  /** Bytes written to the channel and not yet taken by the kernel (flushed or not); 0 once it is closed. */
  public static long pendingBytes(io.netty.channel.Channel channel) {
    return DirectSend.pendingBytes(channel);
  }

  /**
   * Runs {@code task} now, on the calling thread (the context's event loop), as the context's current task:
   * futures the task completes on that context then call their listeners at once, as inside any Vert.x
   * handler, rather than in a later task. Our own Netty handler runs outside Vert.x's dispatch after the
   * handover, so without this a reply to a publish would leave in a pass of its own.
   */
  public static void dispatch(Context context, Runnable task) {
    ((ContextInternal) context).dispatch(task);
  }
}
