package switchboard.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import switchboard.config.TlsSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Loads a renewed certificate into the live TLS listener without a restart: every
 * {@code tls.reloadSeconds} the certificate and key files are checked, and when either changed, Vert.x's
 * {@code updateSSLOptions} swaps them. New connections get the new certificate; open ones keep theirs. A
 * pair that does not load (a half-written file) is logged and the old one kept. Confined to the listener's
 * instance event loop.
 */
final class TlsReload {

  private static final System.Logger LOG = System.getLogger(TlsReload.class.getName());

  private final Vertx vertx;
  private final HttpServer server;
  private final TlsSettings tls;
  private String loaded;

  TlsReload(Vertx vertx, HttpServer server, TlsSettings tls) {
    this.vertx = vertx;
    this.server = server;
    this.tls = tls;
    this.loaded = stamp();
  }

  static PemKeyCertOptions keyCert(TlsSettings tls) {
    return new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath());
  }

  void start() {
    vertx.setPeriodic(tls.reloadSeconds() * 1000L, t -> check());
  }

  private void check() {
    String now = stamp();
    if (now.equals(loaded)) {
      return;
    }
    loaded = now;
    // by content, not by path: Vert.x skips an update whose options equal the current ones
    var files = vertx.fileSystem();
    Future.all(files.readFile(tls.certPath()), files.readFile(tls.keyPath()))
        .compose(both -> server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(both.resultAt(0)).setKeyValue(both.resultAt(1)))))
        .onSuccess(changed -> LOG.log(INFO, "TLS certificate reloaded from " + tls.certPath()))
        .onFailure(e -> LOG.log(WARNING, "TLS certificate at " + tls.certPath() + " changed but did not load ("
            + e.getMessage() + "); still serving the previous one"));
  }

  /** What changes when either file is replaced or rewritten: modification times and sizes. */
  private String stamp() {
    try {
      return Files.getLastModifiedTime(Path.of(tls.certPath())) + "/" + Files.size(Path.of(tls.certPath())) + "|"
          + Files.getLastModifiedTime(Path.of(tls.keyPath())) + "/" + Files.size(Path.of(tls.keyPath()));
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
