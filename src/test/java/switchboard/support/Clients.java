package switchboard.support;

import java.util.ArrayList;
import java.util.List;

/** The WebSocket clients of one test, all closed at the end of it. */
public final class Clients implements AutoCloseable {

  private final List<WsClient> open = new ArrayList<>();
  private final TestServer server;

  public Clients(TestServer server) {
    this.server = server;
  }

  /** The Vertx of the server these clients talk to. */
  public io.vertx.core.Vertx vertx() {
    return server.vertx;
  }

  public WsClient connect(String uri) throws Exception {
    return add(WsClient.connect(server.vertx, server.port, uri));
  }

  public WsClient add(WsClient client) {
    open.add(client);
    return client;
  }

  public List<WsClient> all() {
    return open;
  }

  @Override
  public void close() throws Exception {
    for (WsClient c : open) {
      c.close();
    }
  }
}
