package switchboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import switchboard.support.Clients;
import switchboard.support.Http;
import switchboard.support.LogCapture;
import switchboard.support.RawRedis;
import switchboard.support.RedisServer;
import switchboard.support.TestCerts;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rediss:// against a real redis-server with TLS on (Debian's build has it), with certificates this test
 * makes: verified against the configured CA, host name checked, a client certificate when Redis asks for
 * one; a wrong CA or a certificate for another host never connects and is said in the log and in readiness.
 */
@ExtendWith(VertxExtension.class)
class RedisTlsIT {

  @TempDir
  static Path dir;
  private static TestCerts certs;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certs = new TestCerts(dir);
    certs.ca("ca");
    certs.ca("stranger"); // a CA that signed nothing of ours
    certs.signed("ca", "redis", "IP:127.0.0.1,DNS:localhost");
    certs.signed("ca", "elsewhere", "DNS:other.example");
    certs.signed("ca", "client", "DNS:switchboard-client");
  }

  /** Redis with TLS on a second port, requiring a client certificate signed by our CA. */
  private static RedisServer tlsRedis(int tlsPort, String serverCert) throws Exception {
    return RedisServer.startWith("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", dir.resolve(serverCert + ".crt").toString(),
        "--tls-key-file", certs.key(serverCert).toString(), "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
        "--tls-auth-clients", "yes");
  }

  private static JsonObject config(int tlsPort, String host, String ca) {
    return new JsonObject().put("instances", 1).put("redis", new JsonObject().put("uri", "rediss://" + host + ":" + tlsPort)
        .put("tls", new JsonObject().put("caPath", dir.resolve(ca + ".crt").toString())
            .put("certPath", dir.resolve("client.crt").toString()).put("keyPath", certs.key("client").toString())));
  }

  @Test
  void pubSubGoesThroughATlsRedisVerifiedAgainstTheConfiguredCa(Vertx vertx) throws Exception {
    int tlsPort = RedisServer.anotherFreePort();
    try (RedisServer redis = tlsRedis(tlsPort, "redis"); RawRedis watcher = RawRedis.connect(redis.port)) {
      TestServer server = TestServer.start(vertx, config(tlsPort, "127.0.0.1", "ca"));
      Http.awaitRedisConnected(server);
      assertEquals(200, Http.get(server.port, "/health/ready").statusCode());
      watcher.subscribe("chat");
      try (Clients clients = new Clients(server)) {
        WsClient alice = clients.connect("/alice");
        redis.awaitSubscribers("chat", 2);
        alice.send("over TLS");
        alice.expect("alice: over TLS");
        assertEquals("alice: over TLS", new String(watcher.nextMessage(), StandardCharsets.UTF_8), "it went through Redis");
      }
    }
  }

  @Test
  void aCertificateFromAnotherCaNeverConnectsAndSaysWhy(Vertx vertx) throws Exception {
    refused(vertx, "127.0.0.1", "stranger", "redis");
  }

  @Test
  void aCertificateForAnotherHostNeverConnects(Vertx vertx) throws Exception {
    refused(vertx, "127.0.0.1", "ca", "elsewhere");
  }

  private static void refused(Vertx vertx, String host, String ca, String serverCert) throws Exception {
    int tlsPort = RedisServer.anotherFreePort();
    try (RedisServer redis = tlsRedis(tlsPort, serverCert); LogCapture log = LogCapture.of("switchboard.pubsub.RedisLink");
         RawRedis admin = RawRedis.connect(redis.port)) {
      TestServer server = TestServer.start(vertx, config(tlsPort, host, ca));
      try (Clients clients = new Clients(server)) {
        clients.connect("/alice");
        String line = log.await("TLS");
        assertTrue(line.contains("certificate") || line.contains("TLS handshake"), line);
        assertEquals(503, Http.get(server.port, "/health/ready").statusCode(), "not ready without Redis");
        assertEquals("reconnecting", Http.redisState(server.port));
        assertEquals("0", admin.numsub("chat"), "never subscribed over an unverified link");
      }
    }
  }
}
