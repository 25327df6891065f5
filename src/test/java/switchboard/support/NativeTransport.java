package switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

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
}
