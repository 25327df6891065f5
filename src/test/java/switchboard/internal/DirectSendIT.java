package switchboard.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link DirectSend} assumes of Netty's epoll channels so that it can answer from objects it holds: the
 * socket reads as closed exactly when the channel stops being active, and the channel keeps one outbound
 * buffer for its life, which drains to 0 when the channel closes. Fails when a Netty upgrade changes that;
 * then re-check the fence (package-info). On a real accepted socket, checked inside one event-loop task.
 */
class DirectSendIT {

  @Test
  void theSocketAndTheHeldOutboundBufferAnswerAsTheChannelDoes() throws Exception {
    assertTrue(Epoll.isAvailable(), () -> "the epoll transport is needed (netty-transport-native-epoll for "
        + "linux-x86_64): " + Epoll.unavailabilityCause());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    try {
      Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
              ctx.pipeline().remove(this); // nothing in the pipeline, as after our handover
              accepted.complete(ctx.channel());
            }
          }).bind("127.0.0.1", 0).sync().channel();
      int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
      try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
        Channel channel = accepted.get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> checked = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
          try {
            checkOnTheLoop(channel);
            checked.complete(null);
          } catch (Throwable e) {
            checked.completeExceptionally(e);
          }
        });
        checked.get(10, TimeUnit.SECONDS);
        byte[] received = client.getInputStream().readNBytes(5);
        assertEquals("hello", new String(received, java.nio.charset.StandardCharsets.US_ASCII),
            "the bytes queued and flushed through the sender reached the client");
      }
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
  }

  private static void checkOnTheLoop(Channel channel) {
    DirectSend direct = DirectSend.of(channel);
    assertNotNull(direct, "an epoll socket with nothing in its pipeline is sent to directly");
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    assertTrue(direct.isOpen() && channel.isActive(), "open and active while connected");

    direct.queue(Unpooled.directBuffer().writeBytes("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    // Netty counts each entry's overhead too (96 bytes in 4.2): at least the frame, whatever it adds
    assertTrue(direct.pendingBytes() >= 5, "queued and not flushed: the held buffer counts it");
    assertEquals(DirectSend.pendingBytes(channel), direct.pendingBytes(), "the held buffer is the channel's");
    direct.flush();
    assertEquals(0, direct.pendingBytes(), "a flush of a few bytes to an idle socket leaves nothing pending");
    assertSame(buffer, channel.unsafe().outboundBuffer(), "Netty replaced a channel's outbound buffer");

    direct.queue(Unpooled.directBuffer().writeBytes(new byte[] {1, 2, 3}));
    assertTrue(direct.pendingBytes() >= 3);
    channel.close();
    // in the same task as the close: no later notification is needed for either answer to change
    assertFalse(channel.isActive(), "the channel is inactive once close() returns");
    assertFalse(direct.isOpen(), "the socket reads as closed as soon as the channel is inactive");
    assertNull(channel.unsafe().outboundBuffer(), "Netty drops its reference to the buffer on close");
    assertEquals(0, direct.pendingBytes(), "the held buffer drained when the channel closed");
  }
}
