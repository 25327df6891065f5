package switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal Server-Sent Events subscriber for load. It reads the socket's bytes itself: the response head,
 * then the chunked body, undone by a small state machine into a line buffer (Netty's HTTP codec made an
 * object per chunk, and the tool, not the server, set the pace of the closed loop). A whole chunk of the
 * usual size, one event as the server frames it, is read in one go where it lies. Each {@code data:}
 * line's bytes are handed to the {@link RawWebSocket.Receiver} as a range of the line buffer (no object per
 * event), as {@link RawWebSocket} does for frames.
 */
final class RawSse extends ChannelInboundHandlerAdapter implements BenchClient {

  /** "data: " as a big-endian int and short, compared in two reads. */
  private static final int DATA_WORD = ('d' << 24) | ('a' << 16) | ('t' << 8) | 'a';
  private static final short DATA_TAIL = (short) ((':' << 8) | ' ');
  private static final int DATA_LENGTH = 6;
  /** "id: " as a big-endian int. */
  private static final int ID_WORD = ('i' << 24) | ('d' << 16) | (':' << 8) | ' ';
  /** CR LF as a big-endian short: what ends a chunk's size line and its data. */
  private static final int CRLF = ('\r' << 8) | '\n';
  private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

  private final RawWebSocket.Receiver receiver;
  private final String path;
  private final String host;
  private final CompletableFuture<BenchClient> opened = new CompletableFuture<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  /** The response head until it is whole, then the body's bytes not yet part of a whole line. */
  private ByteBuf pending;
  private boolean inBody;
  /** Bytes left in the current chunk's data; -1 while reading a size line, -2 while reading the CRLF after data. */
  private int chunkLeft = -1;
  /** The size line read so far, and whether an extension (after ';') has begun. */
  private int chunkSize;
  private boolean sizeExtension;
  private Channel channel;

  RawSse(String host, String path, RawWebSocket.Receiver receiver) {
    this.host = host;
    this.path = path;
    this.receiver = receiver;
  }

  static CompletableFuture<BenchClient> connect(EventLoopGroup group, URI uri, String localAddress, RawWebSocket.Receiver receiver) {
    RawSse sse = new RawSse(uri.getHost() + ":" + uri.getPort(), uri.getRawPath(), receiver);
    Bootstrap bootstrap = new Bootstrap().group(group)
        .channel(ToolIo.socketChannel(group))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(sse);
    InetSocketAddress remote = new InetSocketAddress(uri.getHost(), uri.getPort());
    (localAddress == null ? bootstrap.connect(remote) : bootstrap.connect(remote, new InetSocketAddress(localAddress, 0)))
        .addListener(f -> {
          if (!f.isSuccess()) {
            sse.opened.completeExceptionally(f.cause());
          }
        });
    return sse.opened;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    pending = ctx.alloc().heapBuffer(256);
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n\r\n";
    ctx.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = System.nanoTime();
    ByteBuf in = (ByteBuf) msg;
    try {
      if (!inBody) {
        pending.writeBytes(in);
        int end = ByteBufUtil.indexOf(Unpooled.wrappedBuffer(HEAD_END), pending);
        if (end < 0) {
          return;
        }
        String head = pending.readCharSequence(end - pending.readerIndex() + HEAD_END.length, StandardCharsets.US_ASCII).toString();
        if (!head.startsWith("HTTP/1.1 200") || !head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
          opened.completeExceptionally(new IllegalStateException("event stream refused: " + head.lines().findFirst().orElse("")));
          ctx.close();
          return;
        }
        inBody = true;
        opened.complete(this);
        ByteBuf rest = pending.readRetainedSlice(pending.readableBytes());
        pending.clear();
        body(rest, now);
        rest.release();
        return;
      }
      body(in, now);
    } finally {
      in.release();
    }
  }

  /**
   * Undoes the chunked encoding of {@code in}. A chunk that arrived whole, ends with a line break and has
   * nothing waiting before it (the usual case: the server sends one event per chunk) is read where it lies;
   * otherwise its bytes wait in the line buffer until their lines are whole. Reads by index, and moves
   * {@code in}'s reader index once at the end (a third of the tool's CPU went here in SSE's closed loop).
   */
  private void body(ByteBuf in, long now) {
    int i = in.readerIndex();
    int end = in.writerIndex();
    while (i < end) {
      if (chunkLeft == -1 && chunkSize == 0 && !sizeExtension && !pending.isReadable()) {
        int next = wholeChunk(in, i, end, now);
        if (next != i) {
          i = next;
          continue;
        }
      }
      if (chunkLeft > 0) {
        int n = Math.min(chunkLeft, end - i);
        if (n == chunkLeft && !pending.isReadable() && in.getByte(i + n - 1) == '\n') {
          lines(in, i, i + n, now);
        } else {
          pending.writeBytes(in, i, n);
          pending.readerIndex(lines(pending, pending.readerIndex(), pending.writerIndex(), now));
          pending.discardReadBytes();
        }
        i += n;
        chunkLeft -= n;
        if (chunkLeft == 0) {
          chunkLeft = -2;
        }
      } else if (chunkLeft == -2) { // the CRLF after a chunk's data
        if (in.getByte(i++) == '\n') {
          chunkLeft = -1;
        }
      } else { // the size line: hex digits, perhaps extensions after ';', CRLF
        i = sizeLine(in, i, end);
      }
    }
    in.readerIndex(end);
  }

  /**
   * The usual case in one go: at {@code i} a whole chunk with a two-digit size line, whose data ends with a
   * line break, and its CRLF. Returns where that chunk ends, or {@code i} when the bytes there are anything
   * else (a longer size line, an extension, a chunk cut by the read), which the state machine then takes.
   * Saves the byte-by-byte walk over the size line and the CRLF (SSE's closed loop had the tool at 99% of its
   * core, with about three times the WebSocket reader's parsing time, async-profiler).
   */
  private int wholeChunk(ByteBuf in, int i, int end, long now) {
    if (end - i < 4) {
      return i;
    }
    int head = in.getInt(i);
    int high = hexValue((byte) (head >>> 24));
    int low = hexValue((byte) (head >>> 16));
    if ((head & 0xFFFF) != CRLF || high < 0 || low < 0) {
      return i;
    }
    int data = i + 4;
    int dataEnd = data + high * 16 + low;
    if (dataEnd == data || dataEnd + 2 > end || in.getByte(dataEnd - 1) != '\n'
        || in.getShort(dataEnd) != (short) CRLF) {
      return i;
    }
    lines(in, data, dataEnd, now); // reads it all: the data ends with a line break
    return dataEnd + 2;
  }

  /** Reads size-line bytes from {@code i} until its line feed or {@code end}; returns where it stopped. */
  private int sizeLine(ByteBuf in, int i, int end) {
    while (i < end) {
      byte b = in.getByte(i++);
      if (b == '\n') {
        chunkLeft = chunkSize == 0 ? -1 : chunkSize; // a 0 chunk is the last: the stream ended
        chunkSize = 0;
        sizeExtension = false;
        return i;
      }
      int digit = hexValue(b);
      if (b == ';') {
        sizeExtension = true;
      } else if (!sizeExtension && digit >= 0) {
        chunkSize = chunkSize * 16 + digit;
      }
    }
    return i;
  }

  /** 0-15 for an ASCII hex digit, else -1. */
  private static int hexValue(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    int lower = b | 0x20;
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
  }

  /** An {@code id:} line's few digits: a plain walk, cheaper than a search set up for long ranges. */
  private static int shortLineEnd(ByteBuf buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf.getByte(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Hands over every complete {@code data:} line in {@code buf} between {@code from} and {@code to} (the rest,
   * {@code id:}, {@code retry:}, comments and blank lines, is skipped) and returns where the unfinished line
   * after them starts.
   */
  private int lines(ByteBuf buf, int from, int to, long now) {
    while (from < to) {
      if (buf.getByte(from) == '\n') { // a blank line, the end of each event: no search needed
        from++;
        continue;
      }
      int end = to - from >= 4 && buf.getInt(from) == ID_WORD ? shortLineEnd(buf, from + 4, to) : buf.indexOf(from, to, (byte) '\n');
      if (end < 0) {
        return from;
      }
      if (end - from >= DATA_LENGTH && buf.getInt(from) == DATA_WORD && buf.getShort(from + 4) == DATA_TAIL) {
        receiver.received(buf, from + DATA_LENGTH, end, now);
      }
      from = end + 1;
    }
    return from;
  }


  @Override
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed.complete(1006);
    if (pending != null) {
      pending.release();
      pending = null;
    }
    opened.completeExceptionally(new IllegalStateException("the connection ended before the event stream began"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
