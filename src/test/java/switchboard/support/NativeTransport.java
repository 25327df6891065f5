package switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Vert.x on the epoll transport, as production runs (the test default is NIO). */
public final class NativeTransport {

  private NativeTransport() {
  }

  /** Fails the test, saying why, when epoll is not available here. */
  public static Vertx vertx() {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true)).build();
    assertTrue(vertx.isNativeTransportEnabled(), () -> "the epoll transport is needed (netty-transport-native-epoll "
        + "for linux-x86_64): " + vertx.unavailableNativeTransportCause());
    return vertx;
  }

  /** What a test does with an epoll Vert.x. */
  public interface Body {
    void run(Vertx epoll) throws Exception;
  }

  /** Runs {@code body} on a fresh epoll Vert.x, closed afterwards whatever happens. */
  public static void run(Body body) throws Exception {
    Vertx epoll = vertx();
    try {
      body.run(epoll);
    } finally {
      epoll.close().await(20, TimeUnit.SECONDS);
    }
  }
}
