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

/**
 * The fast path writes past the pipeline, so it rests on one invariant: after the handover nothing but our
 * handler and Netty's frame decoder is in the pipeline, and no handler touches outbound bytes. This test
 * fails when a Vert.x upgrade changes the upgraded pipeline; then re-check the fence (package-info).
 */
@ExtendWith(VertxExtension.class)
class PipelineIT {

  /** Head to tail after the handover: Netty's frame decoder, ours, and Netty's tail (not listed by names()). */
  private static final List<String> EXPECTED = List.of("wsdecoder", "switchboard", "DefaultChannelPipeline$TailContext#0");

  @Test
  void afterTheHandoverOnlyTheDecoderAndOurHandlerRemainOnNio(Vertx vertx) throws Exception {
    assertPipeline(vertx);
  }

  @Test
  void afterTheHandoverOnlyTheDecoderAndOurHandlerRemainOnEpoll() throws Exception {
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
}
