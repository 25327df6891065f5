package switchboard.server;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import switchboard.app.AppMounts;
import switchboard.config.Config;
import switchboard.pubsub.Hub;
import switchboard.transport.SessionServices;
import switchboard.config.ConfigException;
import switchboard.protocol.ClientProtocol;
import switchboard.protocol.ProtocolHandler;

import java.util.concurrent.TimeUnit;

/**
 * One event loop's server: HTTP and WebSocket upgrades on the shared port, with its own {@link Hub}, app
 * instances and connections. Only wires objects together.
 */
final class ServerVerticle extends VerticleBase {

  private final Node node;
  private HttpServer server;
  private HttpServer tlsServer;

  ServerVerticle(Node node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    Config config = node.config();
    Hub hub = new Hub(node.broker(), node.meters());
    var services = new SessionServices(vertx, hub, node.publisher(),
        node.connections(), node.meters(), config.limits(), closingTimeoutSeconds(config), config.fastPath(),
        config.ioUring(), node::draining);
    var admission = new TcpAdmission(node.connections(), config.limits());
    AppMounts mounts = AppMounts.instantiate(config.apps(), config.appOptions(), node.appClasses());
    if (config.protocol().enabled()) {
      // Centrifugo's client protocol: one more app, on the same sessions and channels as the others
      mounts = mounts.with(config.protocol().path(),
          new ClientProtocol(vertx, config.protocol(), protocolHandler(config.protocol().handlerClass(), node.appClasses()), hub));
    }
    var upgrades = new Upgrades(mounts, services, node, admission);
    var firstRequest = new FirstRequestTimeout(vertx, config.limits().handshakeTimeoutSeconds());
    var router = Routes.router(vertx, node);
    server = serve(vertx.createHttpServer(options(config)), admission, firstRequest, upgrades, router);
    // -1 asks Vert.x for one random port shared by all instances; 0 would give each its own
    int port = config.port() == 0 ? -1 : config.port();
    Future<?> plain = server.listen(port, config.host()).onSuccess(s -> node.port(s.actualPort()));
    if (config.tls() == null) {
      return plain;
    }
    // the same apps and routes on the TLS port: one session layer, two ways in
    tlsServer = serve(vertx.createHttpServer(options(config).setSsl(true).setKeyCertOptions(TlsReload.keyCert(config.tls()))),
        admission, firstRequest, upgrades, router);
    // -2: a second random port shared by all instances (servers asking for -1 share the plain one)
    int tlsPort = config.tls().port() == 0 ? -2 : config.tls().port();
    Future<?> secure = tlsServer.listen(tlsPort, config.host()).onSuccess(s -> {
      node.tlsPort(s.actualPort());
      new TlsReload(vertx, tlsServer, config.tls()).start();
    });
    return Future.all(plain, secure);
  }

  /** Wires one listener (plain or TLS) to this instance's handlers. */
  private static HttpServer serve(HttpServer server, TcpAdmission admission, FirstRequestTimeout firstRequest,
      Upgrades upgrades, io.vertx.ext.web.Router router) {
    return server
        .connectionHandler(connection -> {
          admission.connected(connection);
          firstRequest.connected(connection);
          var remote = connection.remoteAddress();
          connection.closeHandler(v -> {
            admission.closed(remote);
            firstRequest.requested(remote);
          });
        })
        .webSocketHandshakeHandler(handshake -> {
          firstRequest.requested(handshake.remoteAddress());
          upgrades.handle(handshake);
        })
        .requestHandler(request -> {
          firstRequest.requested(request.remoteAddress());
          var refusal = admission.refusal(request.remoteAddress());
          if (refusal != null) {
            request.response().setStatusCode(admission.status(refusal)).putHeader("Connection", "close")
                .end(admission.reason(refusal, request.remoteAddress()));
            return;
          }
          if (Upgrades.wantsEventStream(request)) {
            upgrades.handleEventStream(request);
            return;
          }
          router.handle(request);
        });
  }

  @Override
  public Future<?> stop() {
    node.startDraining();
    Future<Void> plain = server.shutdown(node.config().shutdownGraceSeconds(), TimeUnit.SECONDS);
    return tlsServer == null ? plain
        : Future.all(plain, tlsServer.shutdown(node.config().shutdownGraceSeconds(), TimeUnit.SECONDS));
  }

  private static HttpServerOptions options(Config config) {
    HttpServerOptions options = new HttpServerOptions();
    if (config.limits().socketSendBufferBytes() > 0) {
      options.setSendBufferSize(config.limits().socketSendBufferBytes());
    }
    return options
        .setMaxWebSocketFrameSize(config.limits().maxFrameBytes())
        .setMaxWebSocketMessageSize(config.limits().maxMessageBytes())
        .setMaxHeaderSize(config.limits().maxHeaderBytes())
        // plain HTTP connections (keep-alive, a request never finished) end after this much silence; a
        // WebSocket loses this timer at the handover (its heartbeat finds dead peers instead)
        .setIdleTimeout(config.limits().httpIdleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        // used by the public-API path (transport.fastPath false); the fast path keeps its own timer
        .setWebSocketClosingTimeout(closingTimeoutSeconds(config))
        // no h2c sniffing: it delays creating the connection until the first bytes arrive, which would let a
        // silent client escape the handshake timeout; browsers speak HTTP/2 only over TLS anyway
        .setHttp2ClearTextEnabled(false)
        // compression is off: a tiny deflated frame can inflate to megabytes before any size check
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }

  /** The configured {@code protocol.handler}, or null; a class that will not do stops startup naming the key. */
  private static ProtocolHandler protocolHandler(String className, ClassLoader loader) {
    if (className == null) {
      return null;
    }
    try {
      Class<?> type = Class.forName(className, true, loader);
      if (!ProtocolHandler.class.isAssignableFrom(type)) {
        throw new ConfigException("protocol.handler", className, "does not implement " + ProtocolHandler.class.getName());
      }
      return type.asSubclass(ProtocolHandler.class).getConstructor().newInstance();
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException("protocol.handler", className, "no such class on the classpath or appsPath");
    } catch (ReflectiveOperationException e) {
      throw new ConfigException("protocol.handler", className, "needs a public no-argument constructor that works: " + e);
    }
  }

  /** After our close frame, wait this long for the client's before dropping TCP (within the shutdown grace). */
  private static int closingTimeoutSeconds(Config config) {
    return Math.min(3, config.shutdownGraceSeconds());
  }
}
