package switchboard.internal;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import switchboard.support.Clients;
import switchboard.support.NativeTransport;
import switchboard.support.TestServer;
import switchboard.support.WsClient;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path writes past the pipeline, so it rests on one invariant: after the handover nothing but our
 * handler is in the pipeline (it reads frames from the socket's bytes itself), and no handler touches
 * outbound bytes. This test
 * fails when a Vert.x upgrade changes the upgraded pipeline; then re-check the fence (package-info).
 */
@ExtendWith(VertxExtension.class)
class PipelineIT {

  /** Head to tail after the handover: ours, and Netty's tail (not listed by names()). */
  private static final List<String> EXPECTED = List.of("switchboard", "DefaultChannelPipeline$TailContext#0");

  @Test
  void afterTheHandoverOnlyOurHandlerRemainsOnNio(Vertx vertx) throws Exception {
    assertPipeline(vertx);
  }

  @Test
  void afterTheHandoverOnlyOurHandlerRemainsOnEpoll() throws Exception {
    NativeTransport.run(PipelineIT::assertPipeline);
  }

  private static void assertPipeline(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1));
    try (Clients clients = new Clients(server)) {
      WsClient c = clients.connect("/pipeline");
      c.send("x");
      c.expect("pipeline: x");
      List<String> pipeline = VertxHandover.lastPipeline();
      assertEquals(EXPECTED, pipeline, "the upgraded pipeline changed: re-check switchboard.internal (package-info)");
      OrphanClosePromises.Outcome promises = VertxHandover.lastClosePromises();
      assertTrue(promises.taken() > 0, "no Vert.x promise was found on the close future to take off: re-check OrphanClosePromises");
      assertEquals(0, promises.left(), "Vert.x promises with listeners are left on a handed-over channel's close future");
      assertTrue(promises.survivorReseated(), "the close future keeps a list for its listeners after the handover: "
          + "more than Vert.x's channel-group remover is left on it; re-check OrphanClosePromises");
    }
  }

  @Test
  void directSendRefusesAPipelineWithAnOutboundHandlerSuchAsTls() throws Exception {
    SslContext tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast("ssl", tls.newHandler(channel.alloc()));
    assertEquals(List.of("ssl"), DirectSend.outboundHandlers(channel.pipeline()));
    assertNull(DirectSend.of(channel), "no direct send past a handler that encrypts");
    channel.finishAndReleaseAll();
  }

  @Test
  void afterTheEventStreamsHandoverOnlyOurHandlerRemainsOnNio(Vertx vertx) throws Exception {
    assertEventStreamPipeline(vertx);
  }

  @Test
  void afterTheEventStreamsHandoverOnlyOurHandlerRemainsOnEpoll() throws Exception {
    NativeTransport.run(PipelineIT::assertEventStreamPipeline);
  }

  /** Event streams are handed over too: the test fails when an upgrade changes the pipeline that takes. */
  private static void assertEventStreamPipeline(Vertx vertx) throws Exception {
    VertxHandover.takeLastEventStreamPipeline(); // another test's
    TestServer server = TestServer.start(vertx, new JsonObject().put("instances", 1));
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port)) {
      socket.getOutputStream().write("GET /es HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII));
      while (!in.readLine().contains("retry: 3000")) {
        // the head, then the first chunk
      }
      java.util.concurrent.atomic.AtomicReference<List<String>> pipeline = new java.util.concurrent.atomic.AtomicReference<>();
      switchboard.support.Eventually.await("the stream's outbound attached", 5,
          () -> !pipeline.updateAndGet(p -> p == null || p.isEmpty() ? VertxHandover.takeLastEventStreamPipeline() : p).isEmpty());
      assertEquals(EXPECTED, pipeline.get(), "the event stream's pipeline changed: re-check switchboard.internal (package-info)");
      OrphanClosePromises.Outcome promises = VertxHandover.lastClosePromises();
      assertEquals(0, promises.left(), "Vert.x promises with listeners are left on a handed-over stream's close future");
    }
  }

  @Test
  void directSendLooksOnlyBelowItsWritePoint() throws Exception {
    EmbeddedChannel plain = new EmbeddedChannel();
    plain.pipeline().addLast("httpDecoder", new io.netty.handler.codec.http.HttpRequestDecoder())
        .addLast("httpEncoder", new io.netty.handler.codec.http.HttpResponseEncoder())
        .addLast("handler", new io.netty.channel.ChannelDuplexHandler());
    assertEquals(List.of(), DirectSend.outboundHandlersBelow(plain.pipeline().context("httpEncoder")),
        "the encoder and the handler above the write point do not see what is written there");
    assertEquals(List.of("httpEncoder"), DirectSend.outboundHandlersBelow(plain.pipeline().context("handler")));
    plain.finishAndReleaseAll();

    SslContext tls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    EmbeddedChannel encrypted = new EmbeddedChannel();
    encrypted.pipeline().addLast("ssl", tls.newHandler(encrypted.alloc()))
        .addLast("httpEncoder", new io.netty.handler.codec.http.HttpResponseEncoder());
    assertEquals(List.of("ssl"), DirectSend.outboundHandlersBelow(encrypted.pipeline().context("httpEncoder")));
    assertNull(DirectSend.below(encrypted.pipeline().context("httpEncoder")), "no direct send below a handler that encrypts");
    encrypted.finishAndReleaseAll();
  }
}
