package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import switchboard.support.Clients;
import switchboard.support.Eventually;
import switchboard.support.TestCerts;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https:// and wss:// on the TLS port with certificates this test makes: the JDK's HTTP and WebSocket
 * clients and Python's ssl module, all verifying against the test's CA; one channel reaches TLS and plain
 * clients alike; a renewed certificate is served without a restart.
 */
@ExtendWith(VertxExtension.class)
class TlsIT {

  @TempDir
  static Path dir;
  private static TestCerts certs;
  private static Path liveCert;
  private static Path liveKey;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCerts(dir);
    certs.ca("ca");
    certs.signed("ca", "first", "IP:127.0.0.1,DNS:localhost");
    certs.signed("ca", "renewed", "IP:127.0.0.1,DNS:localhost");
    liveCert = dir.resolve("live.crt");
    liveKey = dir.resolve("live.key");
    Files.copy(dir.resolve("first.crt"), liveCert);
    Files.copy(certs.key("first"), liveKey);
  }

  private static SSLContext trustingTheTestCa() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  @Test
  void httpsAndWssServeTheSameAppsAndARenewedCertificateLoadsWithoutARestart(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 2).put("tls", new JsonObject()
        .put("certPath", liveCert.toString()).put("keyPath", liveKey.toString()).put("port", 0).put("reloadSeconds", 1)));
    assertTrue(server.tlsPort > 0 && server.tlsPort != server.port);
    SSLContext tls = trustingTheTestCa();
    HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
    HttpResponse<String> live = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.tlsPort
        + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode());

    try (Clients clients = new Clients(server)) {
      WsClient plain = clients.connect("/plain");
      CompletableFuture<String> heard = new CompletableFuture<>();
      WebSocket secure = https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + server.tlsPort + "/secure"),
          new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              heard.complete(data.toString());
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      secure.sendText("over TLS", true).get(10, TimeUnit.SECONDS);
      assertEquals("secure: over TLS", heard.get(10, TimeUnit.SECONDS), "the TLS client gets its own line back");
      plain.expect("secure: over TLS"); // one channel reaches plain and TLS clients alike

      assertEquals("py: from python", python(server.tlsPort), "Python's ssl module, verifying against the CA");
      plain.expect("py: from python");

      assertTrue(servedCertificate(tls, server.tlsPort).contains("CN=first"));
      Files.copy(dir.resolve("renewed.crt"), liveCert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(certs.key("renewed"), liveKey, StandardCopyOption.REPLACE_EXISTING);
      Eventually.await("the renewed certificate is served", 10, () -> servedCertificate(tls, server.tlsPort).contains("CN=renewed"));
      secure.sendText("still here", true).get(10, TimeUnit.SECONDS);
      plain.expect("secure: still here"); // an open connection keeps going
      secure.abort();
    }
  }

  /** An event stream over https, on the fast path: its chunks are written below the encoder and TLS encrypts them. */
  @Test
  void anEventStreamOverHttpsGetsTheChatOnTheFastPath(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1).put("tls", new JsonObject()
        .put("certPath", liveCert.toString()).put("keyPath", liveKey.toString()).put("port", 0)));
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("switchboard.transport.SseTransport");
    java.util.logging.Level level = logger.getLevel();
    logger.setLevel(java.util.logging.Level.FINE);
    HttpClient https = HttpClient.newBuilder().sslContext(trustingTheTestCa()).build();
    try (switchboard.support.LogCapture log = switchboard.support.LogCapture.of(logger.getName());
         Clients clients = new Clients(server)) {
      HttpResponse<java.util.stream.Stream<String>> stream = https.send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + server.tlsPort + "/alice")).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofLines());
      java.util.Iterator<String> lines = stream.body().iterator();
      assertEquals("retry: 3000", lines.next());
      assertTrue(log.await("event stream /alice: ").endsWith("the channel is ours, through Netty"),
          "TLS below our handler: the fast path, without direct sends");
      WsClient bob = clients.connect("/bob");
      for (int i = 0; i < 20; i++) {
        bob.send("secret " + i + " " + "s".repeat(i * 300));
      }
      for (int i = 0; i < 20; i++) {
        String id;
        do {
          id = lines.next();
        } while (id.isEmpty());
        assertTrue(id.startsWith("id: "), id);
        assertEquals("data: bob: secret " + i + " " + "s".repeat(i * 300), lines.next(), "every line, whole, in order");
      }
      stream.body().close();
    } finally {
      logger.setLevel(level);
    }
  }

  /** The subject of the certificate a new TLS connection is shown. */
  private static String servedCertificate(SSLContext tls, int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  /** A WebSocket client in Python (standard library only): joins the chat as "py", says one line, reads it back. */
  private static String python(int port) throws Exception {
    String script = """
        import base64, os, socket, ssl, sys
        ctx = ssl.create_default_context(cafile=sys.argv[1])
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=10), server_hostname="127.0.0.1")
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall(("GET /py HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                   "Sec-WebSocket-Key: " + key + "\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n").encode())
        head = b""
        while b"\\r\\n\\r\\n" not in head:
            head += s.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        text = b"from python"
        s.sendall(bytes([0x81, 0x80 | len(text), 0, 0, 0, 0]) + text)
        first = s.recv(2)
        body = b""
        while len(body) < first[1]:
            body += s.recv(first[1] - len(body))
        print(body.decode())
        """;
    Path file = Files.writeString(dir.resolve("client.py"), script);
    Process process;
    try {
      process = new ProcessBuilder("python3", file.toString(), dir.resolve("ca.crt").toString(), String.valueOf(port))
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("this test runs a Python TLS client: install python3", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "python finished");
    assertEquals(0, process.exitValue(), output);
    return output;
  }
}
