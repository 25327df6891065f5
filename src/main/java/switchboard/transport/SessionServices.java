package switchboard.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.Vertx;
import io.vertx.core.Context;
import switchboard.internal.FlushBatch;
import switchboard.internal.VertxInternals;
import switchboard.config.Limits;
import switchboard.metrics.Meters;
import switchboard.pubsub.Hub;
import switchboard.pubsub.Publisher;

import java.util.function.BooleanSupplier;

/**
 * Everything the sessions of one server instance share: its event loop and context, hub, publisher,
 * limits, meters, heartbeat and flush batching. Made on the instance's event loop; confined to it.
 */
public final class SessionServices {

  final Vertx vertx;
  final Hub hub;
  final Publisher publisher;
  final ConnectionCount count;
  final Meters meters;
  final Limits limits;
  final Heartbeat heartbeat;
  final EventLoop loop;
  final Context context;
  final FlushBatch flushes;
  final long closingTimeoutMillis;
  /** {@code transport.fastPath}: our own frame handler and direct sends, or Vert.x's public WebSocket API. */
  final boolean fastPath;
  final BooleanSupplier draining;
  /**
   * Netty's writability marks for every WebSocket of this instance: half the write budget and the budget.
   * One object for all, since a channel's config keeps the one it is given (24 bytes per idle connection).
   */
  final WriteBufferWaterMark writeMarks;

  /**
   * Call on the instance's event loop: its sessions live there. After sending a close frame, a session
   * waits {@code closingTimeoutSeconds} for the client's answer before it ends TCP; {@code draining} says
   * whether a graceful shutdown has begun; {@code ioUring}: batch a pass's sends ({@code transport.ioUring}).
   */
  public SessionServices(Vertx vertx, Hub hub, Publisher publisher, ConnectionCount count, Meters meters, Limits limits,
      int closingTimeoutSeconds, boolean fastPath, boolean ioUring, BooleanSupplier draining) {
    this.vertx = vertx;
    this.fastPath = fastPath;
    this.closingTimeoutMillis = closingTimeoutSeconds * 1000L;
    this.draining = draining;
    this.context = vertx.getOrCreateContext();
    this.loop = VertxInternals.eventLoop(context);
    this.flushes = new FlushBatch(loop, ioUring);
    this.hub = hub;
    this.publisher = publisher;
    this.count = count;
    this.meters = meters;
    this.limits = limits;
    this.writeMarks = new WriteBufferWaterMark(limits.writeQueueBytes() / 2, limits.writeQueueBytes());
    this.heartbeat = new Heartbeat(vertx, limits.pingIntervalSeconds(), limits.missedPongs());
  }
}
