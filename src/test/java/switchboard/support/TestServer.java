package switchboard.support;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import switchboard.MainVerticle;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Switchboard deployment in the test's Vert.x, on a random port shared by all its instances. Vert.x
 * shares that random port with any other server deployed the same way in the same Vert.x, so run one at a
 * time per Vert.x (or give each host its own Vert.x, as the multi-host tests do).
 */
public final class TestServer {

  public final Vertx vertx;
  public final int port;
  /** The TLS port when the config has a {@code tls} section, else 0. */
  public final int tlsPort;
  public final String deploymentId;

  private TestServer(Vertx vertx, int port, int tlsPort, String deploymentId) {
    this.vertx = vertx;
    this.port = port;
    this.tlsPort = tlsPort;
    this.deploymentId = deploymentId;
  }

  /** Starts a server with {@code config} merged over a test base (port 0, short grace). */
  public static TestServer start(Vertx vertx, JsonObject config) throws Exception {
    JsonObject merged = new JsonObject().put("port", 0).put("host", "127.0.0.1").put("shutdownGraceSeconds", 5)
        .mergeIn(config);
    MainVerticle main = new MainVerticle(Map.of());
    String id = vertx.deployVerticle(main, new DeploymentOptions().setConfig(merged)).await(20, TimeUnit.SECONDS);
    return new TestServer(vertx, main.port(), main.tlsPort(), id);
  }

  /** Undeploys the server (a graceful shutdown) and waits for it. */
  public void stop() throws Exception {
    vertx.undeploy(deploymentId).await(20, TimeUnit.SECONDS);
  }
}
