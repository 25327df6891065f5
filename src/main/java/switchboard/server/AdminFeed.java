package switchboard.server;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import switchboard.metrics.LatencyWindow;
import switchboard.metrics.Meters;

/**
 * {@code GET /admin/feed}: Server-Sent Events, one JSON snapshot a second (connections, channels, messages
 * per second in and out, delivery-latency p50/p99 over that second, Redis state, instances), for the admin page. Each stream
 * keeps its own previous totals to turn counters into rates. At most {@value #MAX_STREAMS} streams are open
 * at once (503 past that), and a stream whose reader has not taken the previous snapshots (Vert.x's write
 * queue is full) is closed rather than buffered. Thread-safe (the stream count is shared by all instances).
 */
final class AdminFeed {

  static final int MAX_STREAMS = 16;
  /** About ten snapshots: a reader that keeps up never has more than one waiting. */
  private static final int WRITE_QUEUE_BYTES = 4096;
  private static final long PERIOD_MS = 1000;
  private static final System.Logger LOG = System.getLogger(AdminFeed.class.getName());
  private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

  private AdminFeed() {
  }

  static void stream(RoutingContext ctx, Node node) {
    if (OPEN.incrementAndGet() > MAX_STREAMS) {
      OPEN.decrementAndGet();
      LOG.log(System.Logger.Level.INFO, () -> "admin feed refused to " + ctx.request().remoteAddress() + ": "
          + MAX_STREAMS + " streams open already");
      ctx.response().setStatusCode(503).end("too many admin feeds open (" + MAX_STREAMS + ")\n");
      return;
    }
    HttpServerResponse response = ctx.response().setChunked(true).setWriteQueueMaxSize(WRITE_QUEUE_BYTES)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    Meters meters = node.meters();
    double[] last = {meters.receivedCount(), meters.deliveredCount(), System.nanoTime()};
    LatencyWindow latency = meters.latencyWindow();
    send(response, snapshot(node, 0, 0, new double[2]));
    long timer = ctx.vertx().setPeriodic(PERIOD_MS, t -> {
      double now = System.nanoTime();
      double seconds = (now - last[2]) / 1e9;
      double in = (meters.receivedCount() - last[0]) / seconds;
      double out = (meters.deliveredCount() - last[1]) / seconds;
      last[0] = meters.receivedCount();
      last[1] = meters.deliveredCount();
      last[2] = now;
      send(response, snapshot(node, in, out, latency.next(0.5, 0.99)));
    });
    response.closeHandler(v -> {
      ctx.vertx().cancelTimer(timer);
      OPEN.decrementAndGet();
    });
  }

  private static void send(HttpServerResponse response, JsonObject snapshot) {
    if (response.closed()) {
      return;
    }
    if (response.writeQueueFull()) {
      LOG.log(System.Logger.Level.INFO, "admin feed closed: its reader does not keep up");
      response.reset();
      return;
    }
    response.write("data: " + snapshot.encode() + "\n\n");
  }

  /** {@code latency}: p50 and p99 in ms of the deliveries since the previous snapshot. */
  static JsonObject snapshot(Node node, double inPerSecond, double outPerSecond, double[] latency) {
    Meters meters = node.meters();
    String redis = node.broker().health().state();
    return new JsonObject()
        .put("connections", node.connections().sessions() + node.connections().sseSessions()) // clients, both transports
        .put("sseConnections", node.connections().sseSessions())
        .put("httpConnections", node.connections().current() - node.connections().sessions() - node.connections().sseSessions())
        .put("channels", meters.channelCount())
        .put("subscriptions", meters.subscriptionCount())
        .put("inPerSecond", Math.round(inPerSecond))
        .put("outPerSecond", Math.round(outPerSecond))
        .put("receivedTotal", (long) meters.receivedCount())
        .put("deliveredTotal", (long) meters.deliveredCount())
        .put("latencyP50Ms", round(latency[0]))
        .put("latencyP99Ms", round(latency[1]))
        .put("redis", redis)
        .put("instances", node.config().effectiveInstances())
        .put("uptimeSeconds", node.uptimeMillis() / 1000)
        .put("broker", node.broker().describe());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
