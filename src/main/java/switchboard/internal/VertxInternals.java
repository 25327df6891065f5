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

  /** The Netty context of Vert.x's handler for an HTTP/1 connection. */
  static io.netty.channel.ChannelHandlerContext channelContext(io.vertx.core.http.HttpConnection connection) {
    return ((io.vertx.core.net.impl.ConnectionBase) connection).channelHandlerContext();
  }

  /**
   * The IP address behind a connection's remote address, the very object Netty's channel holds, so a session
   * can keep it without a copy of its own (Vert.x's public {@code SocketAddress} only gives it as text).
   * Parsed from that text, without DNS, if Vert.x's class changes.
   */
  public static java.net.InetAddress ipAddress(io.vertx.core.net.SocketAddress address) {
    if (address instanceof io.vertx.core.net.impl.SocketAddressImpl impl && impl.ipAddress() != null) {
      return impl.ipAddress();
    }
    try {
      return java.net.InetAddress.getByName(address.hostAddress()); // an IP literal: no lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e);
    }
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
   * The one-{@code send(2)} path past Netty for bytes written at {@code writePoint} of a native (epoll)
   * socket with no outbound handler below that point; null otherwise (NIO, TLS, any handler that transforms
   * bytes on their way out keeps Netty's path).
   */
  public static DirectSender directSender(io.netty.channel.ChannelHandlerContext writePoint) {
    return DirectSend.below(writePoint);
  }

  /**
   * Handlers of Vert.x's HTTP/1 pipeline that an event stream does not need once its head is sent: the HTTP
   * codec (we write whole chunks, and a client sends nothing more), the plain-HTTP idle timeout (a stream's
   * heartbeat does that job, as a WebSocket's does) and, over TLS, the writer of files.
   */
  static final java.util.List<String> EVENT_STREAM_UNUSED = java.util.List.of("idle", "chunkedWriter", "httpDecoder", "httpEncoder");

  /** Handlers Vert.x adds to some HTTP/1 pipelines only (an idle timeout configured, TLS). */
  private static final java.util.List<String> EVENT_STREAM_OPTIONAL = java.util.List.of("idle", "chunkedWriter");

  /** The pipeline of an event stream, head to tail, without the idle timeout and file writer (TLS adds "ssl" first). */
  static final java.util.List<String> EVENT_STREAM_PIPELINE =
      java.util.List.of("httpDecoder", "httpEncoder", "handler", "DefaultChannelPipeline$TailContext#0");

  /**
   * True when an HTTP/1 connection's pipeline is the one {@link VertxHandover#takeEventStream} was written
   * for: {@link #EVENT_STREAM_PIPELINE}, with the unused handlers and maybe TLS first, and Netty's encoder
   * (compression, say, would not be).
   */
  static boolean isEventStreamPipeline(io.netty.channel.ChannelPipeline pipeline) {
    java.util.List<String> names = new java.util.ArrayList<>(pipeline.names());
    names.removeAll(EVENT_STREAM_OPTIONAL);
    if (pipeline.first() instanceof io.netty.handler.ssl.SslHandler) {
      names.remove(0);
    }
    return names.equals(EVENT_STREAM_PIPELINE)
        && pipeline.get("httpEncoder") instanceof io.netty.handler.codec.http.HttpResponseEncoder
        && pipeline.get("httpDecoder") instanceof io.netty.handler.codec.http.HttpRequestDecoder;
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
