package switchboard.testapps;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import switchboard.app.App;
import switchboard.app.Connection;

/**
 * Reports where the futures of {@link Connection#publish} complete: "pub" publishes from the connection's
 * event loop, "pub-off-loop" from a worker thread; the answer is "done ok=.. context=.. thread=.." where
 * context says whether the callback ran on an event-loop context of this Vert.x and thread whether on the
 * connection's own event-loop thread.
 */
public class ThreadProbeApp implements App {

  private static final String CONTEXT = "probe.context";
  private static final String THREAD = "probe.thread";

  @Override
  public void onOpen(Connection c) {
    c.attributes().put(CONTEXT, Vertx.currentContext());
    c.attributes().put(THREAD, Thread.currentThread());
    c.subscribe("probe");
  }

  @Override
  public void onMessage(Connection c, String text) {
    Context own = (Context) c.attributes().get(CONTEXT);
    Thread loop = (Thread) c.attributes().get(THREAD);
    switch (text) {
      case "pub" -> report(c, c.publish("probe", "from the loop"), own, loop);
      case "pub-off-loop" -> c.vertx().executeBlocking(() -> {
        report(c, c.publish("probe", "from a worker"), own, loop);
        return null;
      });
      default -> c.write("unknown command");
    }
  }

  private static void report(Connection c, Future<Void> published, Context own, Thread loop) {
    published.onComplete(ar -> {
      Context now = Vertx.currentContext();
      boolean eventLoopContext = now != null && now.isEventLoopContext() && now.owner() == own.owner();
      c.write("done ok=" + ar.succeeded() + " context=" + eventLoopContext + " thread=" + (Thread.currentThread() == loop));
    });
  }
}
