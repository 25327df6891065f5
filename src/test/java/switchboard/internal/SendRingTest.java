package switchboard.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SendRing} promises, on real loopback sockets: a submission writes every socket's frames in
 * order and reports what each took; a full socket buffer or a reset peer reads as less or nothing taken, at
 * once, never as a write left pending in the kernel (the caller hands the rest to Netty right after). Also
 * the fence: it fails when Netty's io_uring internals that the ring uses change.
 */
class SendRingTest {

  private EventLoopGroup group;
  private ServerSocket listener;
  private final List<ByteBuf> buffers = new ArrayList<>();
  private final List<SendRing> rings = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws Exception {
    rings.forEach(SendRing::close);
    buffers.forEach(ByteBuf::release);
    listener.close();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
  }

  @Test
  void ioUringIsAvailableHere() {
    assertNull(SendRing.unavailabilityCause(), () -> "io_uring is needed for batched sends: a Linux kernel of 5.18 or"
        + " later with /proc/sys/kernel/io_uring_disabled at 0, netty-transport-native-io_uring for linux-x86_64, and"
        + " Netty's Native.createRingBuffer, SubmissionQueue.enqueueSqe/submit/submitAndGet,"
        + " CompletionQueue.process and Native's msghdr layout as SendRing reaches them: "
        + SendRing.unavailabilityCause());
  }

  @Test
  void oneSubmissionWritesEverySocketsFramesInOrderAndSaysWhatEachTook() throws Throwable {
    Channel a = connect();
    Socket peerA = listener.accept();
    Channel b = connect();
    Socket peerB = listener.accept();
    SendRing ring = open();
    long before = SendRing.sendsSubmitted();
    int toA = ring.send(fd(a), new ByteBuf[] {frame("hello, "), frame("ring")}, 2);
    int toB = ring.send(fd(b), new ByteBuf[] {frame("to b")}, 1);
    ring.submit();
    assertEquals(11, ring.taken(toA));
    assertEquals(4, ring.taken(toB));
    assertEquals("hello, ring", read(peerA, 11));
    assertEquals("to b", read(peerB, 4));
    assertTrue(SendRing.sendsSubmitted() >= before + 2, "counted for switchboard_batched_writes_total");
    ring.clear();
    int again = ring.send(fd(a), new ByteBuf[] {frame("!")}, 1);
    ring.submit();
    assertEquals(1, ring.taken(again), "a ring is reused after clear()");
    assertEquals("!", read(peerA, 1));
  }

  @Test
  void aFullSocketBufferTakesPartOrNothingAndReturnsAtOnce() throws Throwable {
    Channel a = connect();
    Socket peer = listener.accept(); // never reads until the end
    ByteBuf big = frame("x".repeat(1 << 20));
    SendRing ring = open();
    long total = 0;
    long last;
    int rounds = 0;
    do {
      int ticket = ring.send(fd(a), new ByteBuf[] {big}, 1);
      ring.submit(); // would hang here if the send waited for the reader
      last = ring.taken(ticket);
      ring.clear();
      total += last;
      rounds++;
    } while (last > 0 && rounds < 1_000);
    assertEquals(0, last, "a full buffer reads as nothing taken, not as a write left pending");
    int several = ring.send(fd(a), new ByteBuf[] {big, big}, 2); // a sendmsg, where one frame was a send
    ring.submit();
    assertEquals(0, ring.taken(several), "several frames to a full buffer: nothing taken, nothing pending");
    ring.clear();
    assertTrue(total > 0 && total < 1_000L << 20, "the kernel took some, then refused: " + total);
    // what it reported taken is exactly what arrives
    DataInputStream in = new DataInputStream(peer.getInputStream());
    byte[] got = new byte[(int) total];
    in.readFully(got);
    byte[] expected = new byte[got.length];
    java.util.Arrays.fill(expected, (byte) 'x');
    assertArrayEquals(expected, got);
    peer.setSoTimeout(300);
    assertEquals(-1, readOrTimeout(peer), "and nothing more: the refused bytes were not sent later");
  }

  @Test
  void aResetPeerReadsAsNothingTaken() throws Throwable {
    Channel a = connect();
    // off the event loop first: else Netty may see the reset, close the socket and free its fd number
    // before the test reads the error or sends (ClosedChannelException, seen once in CI)
    a.deregister().sync();
    Socket peer = listener.accept();
    peer.setSoLinger(true, 0);
    peer.close(); // a reset
    io.netty.channel.unix.Socket socket = (io.netty.channel.unix.Socket) ((EpollSocketChannel) a).fd();
    switchboard.support.Eventually.await("the reset reached the socket", 5, () -> socket.getSoError() != 0);
    SendRing ring = open();
    int ticket = ring.send(fd(a), new ByteBuf[] {frame("lost")}, 1);
    ring.submit();
    assertEquals(0, ring.taken(ticket), "ECONNRESET or EPIPE reads as 0: Netty's own write then meets the error");
    socket.close(); // not registered any more, so the group's shutdown would not close it
  }

  @Test
  void framesWithoutANativeAddressAreLeftToTheCaller() throws Throwable {
    Channel a = connect();
    listener.accept();
    SendRing ring = open();
    ByteBuf heap = Unpooled.wrappedBuffer("heap".getBytes(StandardCharsets.US_ASCII));
    buffers.add(heap);
    assertEquals(-1, ring.send(fd(a), new ByteBuf[] {frame("direct"), heap}, 2));
  }

  private SendRing open() throws Throwable {
    SendRing ring = SendRing.open();
    rings.add(ring);
    return ring;
  }

  private Channel connect() throws InterruptedException {
    return new Bootstrap().group(group).channel(EpollSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(listener.getLocalSocketAddress()).sync().channel();
  }

  private static int fd(Channel channel) {
    return ((EpollSocketChannel) channel).fd().intValue();
  }

  private ByteBuf frame(String text) {
    ByteBuf buffer = Unpooled.directBuffer(text.length());
    buffer.writeCharSequence(text, StandardCharsets.US_ASCII);
    buffers.add(buffer);
    return buffer;
  }

  private static String read(Socket peer, int length) throws Exception {
    peer.setSoTimeout(5_000);
    byte[] bytes = new byte[length];
    new DataInputStream(peer.getInputStream()).readFully(bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static int readOrTimeout(Socket peer) throws Exception {
    try {
      return peer.getInputStream().read();
    } catch (java.net.SocketTimeoutException e) {
      return -1;
    }
  }
}
