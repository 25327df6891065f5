package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import switchboard.config.Limits;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import switchboard.app.App;
import switchboard.metrics.Meters;
import switchboard.pubsub.Channels;
import switchboard.pubsub.Delivery;
import switchboard.pubsub.Hub;
import switchboard.pubsub.Message;
import switchboard.pubsub.Publisher;
import switchboard.pubsub.Subscriber;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

/**
 * A WebSocket client: runs the app's callbacks in the order the {@link App} contract promises and
 * writes outgoing messages as complete pre-built frames.
 *
 * <p>Every frame this class sends (app writes and deliveries) goes through one path, straight to the
 * Netty channel, so their order is the call order; a delivered frame is a view of the buffer shared by all
 * subscribers of the instance. After the handshake the channel is ours ({@link VertxHandover}); its
 * {@link FrameHandler} does the protocol's control work. Confined to the socket's event loop; the public
 * write/publish/close methods hop there when called from elsewhere.
 *
 * <p>The app's {@link App#onOpen} runs before the 101 response is sent (see {@link #open()}), so whatever it
 * subscribes to is in place by the time the client sees the socket open: a message published after that
 * moment reaches it, even when the publisher's event loop is faster than this one.
 */
public final class WebSocketConnection implements Connection, Subscriber, FlushBatch.Flushable {

  private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());
  private static final int MAX_CLOSE_REASON_BYTES = 123;
  private static final int SLOW_CONSUMER_GRACE_SECONDS = 3;
  /** Requests refused in a row (rate, channel rules) before the connection is closed with 1008. */
  private static final int REFUSALS_BEFORE_CLOSE = 10;
  private static final byte[] PING = "switchboard".getBytes(StandardCharsets.US_ASCII);

  private enum State { OPEN, CLOSING, CLOSED }

  private final String id;
  private final Vertx vertx;
  private final EventLoop loop;
  /** The Vert.x context of {@link #loop}: every future this connection returns completes on it. */
  private final ContextInternal context;
  private final ByteBufAllocator alloc;
  private final String query;
  private final PackedHeaders headers;
  private final SocketAddress remoteAddress;
  /** Set once the 101 is sent; until then writes and deliveries wait in {@link #early}. */
  private FrameHandler frames;
  private ChannelHandlerContext channel;
  private DirectSend direct;
  private List<ByteBuf> early = new ArrayList<>();
  private long earlyBytes;
  private short closeCode;
  private String closeReason;
  private final String path;
  private final String pathInfo;
  private final App app;
  private final Hub hub;
  private final Publisher publisher;
  private final ConnectionCount count;
  /** Subscribed channels: usually one or a few, so a list (48 bytes) rather than a set (about 190). */
  private final List<String> channels = new ArrayList<>(1);
  private final FlushBatch flushes;
  private MessageAssembler assembler; // made at the first data frame: many connections only listen
  private final int maxMessageBytes;
  private final Meters meters;
  private final int writeQueueBytes;
  private final Limits limits;
  private final Heartbeat heartbeat;
  private final TokenBucket publishes;
  private final TokenBucket publishedBytes;
  /** Made at the first ping: most clients never send one. */
  private TokenBucket pings;
  private final String address;
  private final long closingTimeoutMillis;
  private final java.util.function.BooleanSupplier draining;
  private int refusedInARow;
  private int silentBeats;
  private Map<String, Object> attributes;
  private State state = State.OPEN;
  private boolean flushPending;

  /** Everything a connection needs from its server instance (one per event loop). */
  public static final class Services {
    private final Vertx vertx;
    private final Hub hub;
    private final Publisher publisher;
    private final ConnectionCount count;
    private final Meters meters;
    private final Limits limits;
    private final Heartbeat heartbeat;
    private final EventLoop loop;
    private final ContextInternal context;
    private final FlushBatch flushes;
    private final long closingTimeoutMillis;
    private final java.util.function.BooleanSupplier draining;

    /**
     * Call on the instance's event loop: its connections live there. After sending a close frame, a
     * connection waits {@code closingTimeoutSeconds} for the client's before it ends TCP.
     */
    public Services(Vertx vertx, Hub hub, Publisher publisher, ConnectionCount count, Meters meters, Limits limits,
        int closingTimeoutSeconds, java.util.function.BooleanSupplier draining) {
      this.vertx = vertx;
      this.closingTimeoutMillis = closingTimeoutSeconds * 1000L;
      this.draining = draining;
      this.context = ContextInternal.current();
      this.loop = context.nettyEventLoop();
      this.flushes = new FlushBatch(loop);
      this.hub = hub;
      this.publisher = publisher;
      this.count = count;
      this.meters = meters;
      this.limits = limits;
      this.heartbeat = new Heartbeat(vertx, limits.pingIntervalSeconds(), limits.missedPongs());
    }
  }

  /** Call on the instance's event loop, after {@link ConnectionCount#admit} reserved this connection's place. */
  public WebSocketConnection(ServerWebSocketHandshake handshake, String path, String pathInfo, App app, Services services) {
    this.id = services.count.nextId();
    this.query = handshake.query();
    this.headers = new PackedHeaders(handshake.headers());
    this.remoteAddress = handshake.remoteAddress();
    this.loop = services.loop;
    this.context = services.context;
    this.draining = services.draining;
    this.alloc = PooledByteBufAllocator.DEFAULT;
    this.path = path;
    this.pathInfo = pathInfo;
    this.app = app;
    this.hub = services.hub;
    this.publisher = services.publisher;
    this.count = services.count;
    this.vertx = services.vertx;
    this.flushes = services.flushes;
    this.meters = services.meters;
    this.limits = services.limits;
    this.heartbeat = services.heartbeat;
    this.writeQueueBytes = limits.writeQueueBytes();
    this.maxMessageBytes = limits.maxMessageBytes();
    this.publishes = new TokenBucket(limits.publishPerSecond(), limits.publishBurst());
    this.publishedBytes = new TokenBucket(limits.publishBytesPerSecond(), limits.publishBurstBytes());
    this.closingTimeoutMillis = services.closingTimeoutMillis;
    this.address = remoteAddress.hostAddress();
    count.sessionOpened();
  }

  /**
   * Calls {@link App#onOpen} before the handshake is accepted: its subscriptions take effect at once, and
   * what it writes (and any delivery) waits for the 101. Then call {@link #accepted} or {@link #notAccepted}
   * in the same event-loop task, so that nothing else runs on this loop in between.
   */
  public void open() {
    try {
      app.onOpen(this);
    } catch (RuntimeException e) {
      failed("onOpen", e);
    }
  }

  /**
   * The 101 is sent: takes the channel from Vert.x, sends what waited for the handshake, then the app's
   * close if it closed.
   */
  public void accepted(ServerWebSocket ws) {
    this.frames = new FrameHandler(this, closingTimeoutMillis);
    this.channel = VertxHandover.take(ws, frames);
    if (!channel.channel().isActive()) {
      // the client left while the 101 was being sent: our handler will never see the channel end
      notAccepted(new java.nio.channels.ClosedChannelException());
      return;
    }
    this.direct = DirectSend.of(channel.channel());
    heartbeat.add(this);
    // Netty marks the channel unwritable past the budget; FrameHandler then stops reading from it until it
    // drains to half, so a client that does not read cannot make us queue more (pongs, replies)
    channel.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(writeQueueBytes / 2, writeQueueBytes));
    for (ByteBuf frame : early) {
      channel.write(frame, channel.voidPromise());
    }
    early = null;
    channel.flush();
    if (state == State.CLOSING) {
      frames.close(closeCode, closeReason);
    } else if (draining.getAsBoolean()) {
      // the server began shutting down while the 101 was on its way: the shutdown event passed this socket by
      shutdown();
    }
  }

  /** The handshake failed after {@link #open}: the app sees the connection close. */
  public void notAccepted(Throwable cause) {
    LOG.log(DEBUG, () -> id + " handshake failed: " + cause);
    for (ByteBuf frame : early) {
      frame.release();
    }
    early = null;
    closed();
  }

  /** Any frame, a pong included, shows the client is alive. */
  void heardFrom() {
    silentBeats = 0;
  }

  /** A data frame (text, binary, continuation), valid until this returns. */
  void received(WebSocketFrame frame) {
    if (state != State.OPEN) {
      return;
    }
    if (assembler == null) {
      assembler = new MessageAssembler(maxMessageBytes);
    }
    switch (assembler.add(frame)) {
      case INCOMPLETE -> { }
      case TOO_BIG -> refuse(CloseCodes.MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
      case INVALID_UTF8 -> refuse(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
      case COMPLETE -> {
        meters.received();
        try {
          if (assembler.isText()) {
            app.onMessage(this, assembler.text());
          } else {
            app.onMessage(this, assembler.binary());
          }
        } catch (RuntimeException e) {
          failed("onMessage", e);
        }
      }
    }
  }

  private void refuse(short code, String why) {
    LOG.log(INFO, () -> id + " closed with " + code + ": " + why);
    close(code, why);
  }

  /** The decoder refused the client's input; the {@link FrameHandler} sends the close frame. */
  void protocolError(short code, String why) {
    if (state == State.CLOSED) {
      return;
    }
    LOG.log(INFO, () -> id + " closed with " + code + ": " + LogText.safe(why));
    meters.closeSent(code);
    state = State.CLOSING;
  }

  /** The client started the closing handshake: nothing more goes out but the echo of its close. */
  void closing() {
    if (state == State.OPEN) {
      state = State.CLOSING;
    }
  }

  /** Graceful shutdown: the app says goodbye, then the client gets 1001 after everything written. */
  void shutdown() {
    if (state != State.OPEN) {
      return;
    }
    try {
      app.onShutdown(this);
    } catch (RuntimeException e) {
      failed("onShutdown", e);
      return;
    }
    close(CloseCodes.GOING_AWAY, "server shutting down");
  }

  /** The TCP connection ended (or the handshake failed after {@link #open}). */
  void closed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    for (String name : channels) {
      hub.unsubscribe(name, this);
    }
    channels.clear();
    count.sessionClosed();
    count.release(address);
    heartbeat.remove(this);
    try {
      app.onClose(this);
    } catch (RuntimeException e) {
      LOG.log(ERROR, id + " app onClose failed", e);
    }
    attributes = null;
  }

  private void failed(String callback, RuntimeException e) {
    LOG.log(ERROR, id + " app " + callback + " failed; closing with 1011", e);
    close(CloseCodes.INTERNAL_ERROR, "internal error");
  }

  @Override
  public void deliver(Delivery delivery) {
    if (state != State.OPEN) {
      meters.dropped("connection-closing");
    } else if (frames == null) {
      queueEarly(delivery.encoded(WebSocketFrames.ENCODER).retainedDuplicate());
    } else if (!channel.channel().isActive()) {
      // the client reset the connection and Netty has not told our handler yet; a closed channel also
      // reads as unwritable, which must not pass for a slow consumer
      meters.dropped("connection-closing");
    } else {
      ByteBuf frame = delivery.encoded(WebSocketFrames.ENCODER);
      int sent = direct == null || flushes.busy() ? 0 : direct.trySend(frame);
      int rest = frame.readableBytes() - sent;
      if (rest == 0) {
        return; // the whole frame left with one send(2)
      }
      channel.write(sent == 0 ? frame.retainedDuplicate() : frame.retainedSlice(frame.readerIndex() + sent, rest),
          channel.voidPromise());
      if (overBudget()) {
        slowConsumer();
      } else if (!flushPending) {
        flushPending = true;
        flushes.flushSoon(this);
      }
    }
  }

  /**
   * Every path that queues bytes for this client (deliveries, app writes, pongs, pings, close frames) asks
   * this after its write: all of them sit in the channel's one outbound buffer, so one number bounds them.
   * Judged after a flush, on what the kernel would not take: bytes that only wait for the end of this
   * event-loop pass (a burst being fanned out) are not a slow reader.
   */
  private boolean overBudget() {
    ChannelOutboundBuffer queued = channel.channel().unsafe().outboundBuffer();
    if (queued == null || queued.totalPendingWriteBytes() <= writeQueueBytes) {
      return false;
    }
    channel.flush();
    queued = channel.channel().unsafe().outboundBuffer();
    return queued != null && queued.totalPendingWriteBytes() > writeQueueBytes;
  }

  /**
   * A client's ping, before it is answered: pings are held to the same rate as publishes. One past the rate
   * is not answered and counts as a refused request, so a ping flood is closed with 1008 after
   * {@value #REFUSALS_BEFORE_CLOSE} in a row, however fast the kernel takes the pongs.
   */
  boolean pingAllowed() {
    if (pings == null) {
      pings = new TokenBucket(limits.publishPerSecond(), limits.publishBurst());
    }
    if (pings.take()) {
      return true;
    }
    meters.refused("ping-rate-limited");
    refused("pinging faster than " + limits.publishPerSecond() + "/s");
    return false;
  }

  /** {@link FrameHandler} wrote a control frame (pong, ping): it counts against the same budget. */
  void controlFrameWritten() {
    if (overBudget()) {
      slowConsumer();
    }
  }

  /** Before the 101, writes and deliveries wait here; they count against the budget like any other byte. */
  private void queueEarly(ByteBuf frame) {
    early.add(frame);
    earlyBytes += frame.readableBytes();
    if (earlyBytes > writeQueueBytes && state == State.OPEN) {
      for (ByteBuf waiting : early) {
        waiting.release();
      }
      early.clear();
      meters.slowConsumerClosed();
      LOG.log(INFO, () -> id + " closed before its 101: over " + writeQueueBytes + " bytes queued");
      close(CloseCodes.POLICY_VIOLATION, "slow consumer: over " + writeQueueBytes + " bytes unread");
    }
  }

  /**
   * The client has not read {@code writeQueueBytes} of what we sent: close it with 1008 rather than
   * buffer without bound. Nothing more is read from it, it gets no more messages, and its TCP connection is
   * dropped after {@value #SLOW_CONSUMER_GRACE_SECONDS} s if it never reads the close frame either.
   */
  private void slowConsumer() {
    if (state != State.OPEN) {
      return; // already closing: the closing timeout ends TCP
    }
    frames.stopReading();
    meters.slowConsumerClosed();
    LOG.log(INFO, () -> id + " closed as a slow consumer: over " + writeQueueBytes + " bytes unread");
    close(CloseCodes.POLICY_VIOLATION, "slow consumer: over " + writeQueueBytes + " bytes unread");
    channel.flush();
    // the close frame waits behind the unread bytes too: drop the TCP connection if it is still there
    loop.schedule(() -> {
      if (channel.channel().isOpen()) {
        channel.channel().close();
      }
    }, SLOW_CONSUMER_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void flushNow() {
    flushPending = false;
    channel.flush();
  }

  @Override
  public boolean write(String text) {
    if (!onEventLoop()) {
      loop.execute(() -> write(text));
      return state == State.OPEN;
    }
    return state == State.OPEN && send(WebSocketFrames.text(alloc, text));
  }

  @Override
  public boolean write(Buffer binary) {
    if (!onEventLoop()) {
      loop.execute(() -> write(binary));
      return state == State.OPEN;
    }
    return state == State.OPEN && send(WebSocketFrames.binary(alloc, ((BufferInternal) binary).getByteBuf()));
  }

  private boolean send(ByteBuf frame) {
    if (frames == null) {
      queueEarly(frame);
      return state == State.OPEN;
    }
    channel.writeAndFlush(frame, channel.voidPromise());
    if (overBudget()) {
      slowConsumer();
      return false;
    }
    return true;
  }

  @Override
  public boolean subscribe(String name) {
    if (!Channels.isValid(name)) {
      refused("invalid channel name");
      throw new IllegalArgumentException(Channels.INVALID_NAME);
    }
    if (state != State.OPEN || channels.contains(name)) {
      return false;
    }
    if (channels.size() >= limits.maxChannelsPerConnection()) {
      refused("too many channels");
      throw new IllegalStateException("too many channels: the limit is " + limits.maxChannelsPerConnection() + " per connection");
    }
    refusedInARow = 0;
    channels.add(name);
    return hub.subscribe(name, this);
  }

  /**
   * A request of this client was refused (bad channel name, too many channels, publishing too fast): the
   * app tells the client why; {@value #REFUSALS_BEFORE_CLOSE} refusals in a row close it with 1008.
   */
  private void refused(String why) {
    if (++refusedInARow >= REFUSALS_BEFORE_CLOSE && state == State.OPEN) {
      LOG.log(INFO, () -> id + " closed with 1008: " + REFUSALS_BEFORE_CLOSE + " refusals in a row (" + why + ")");
      close(CloseCodes.POLICY_VIOLATION, "too many refused requests: " + why);
      if (frames != null) {
        // an abusive client (a ping or publish flood) gets nothing more read: each read would only be discarded
        frames.stopReading();
      }
    }
  }

  /** Called by the instance's {@link Heartbeat} each interval. */
  void heartbeat(int missedPongs) {
    if (state != State.OPEN) {
      return;
    }
    if (silentBeats >= missedPongs) {
      LOG.log(INFO, () -> id + " closed: no answer to " + missedPongs + " pings");
      close(CloseCodes.GOING_AWAY, "no answer to pings");
      return;
    }
    silentBeats++;
    frames.ping(PING);
  }

  @Override
  public boolean unsubscribe(String name) {
    return channels.remove(name) && hub.unsubscribe(name, this);
  }

  @Override
  public Future<Void> publish(String name, String text) {
    return publish(Message.text(name, text));
  }

  @Override
  public Future<Void> publish(String name, Buffer binary) {
    return publish(Message.binary(name, binary.getBytes()));
  }

  /** Runs on this connection's event loop (hopping there if called elsewhere); the future completes there too. */
  private Future<Void> publish(Message message) {
    Promise<Void> done = context.promise();
    if (onEventLoop()) {
      publishOnLoop(message).onComplete(done);
    } else {
      context.runOnContext(v -> publishOnLoop(message).onComplete(done));
    }
    return done.future();
  }

  private Future<Void> publishOnLoop(Message message) {
    if (!publishes.take()) {
      meters.refused("rate-limited");
      refused("publishing faster than " + limits.publishPerSecond() + "/s");
      return Future.failedFuture(new Publisher.Refused("over " + limits.publishPerSecond() + " messages per second",
          Publisher.Refused.Reason.RATE_LIMITED));
    }
    // an oversize message is the Publisher's to refuse (TOO_LARGE); it must not drain the byte budget
    if (message.size() <= maxMessageBytes && !publishedBytes.take(message.size())) {
      meters.refused("byte-rate-limited");
      refused("publishing more than " + limits.publishBytesPerSecond() + " bytes/s");
      return Future.failedFuture(new Publisher.Refused("over " + limits.publishBytesPerSecond() + " bytes per second",
          Publisher.Refused.Reason.RATE_LIMITED));
    }
    if (!Channels.isValid(message.channel())) {
      refused("invalid channel name");
    } else {
      refusedInARow = 0;
    }
    return publisher.publish(message).mapEmpty();
  }

  @Override
  public void close(short code, String reason) {
    if (!CloseCodes.isSendable(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4): use 1000-1003, "
          + "1007-1014 or 3000-4999");
    }
    if (!onEventLoop()) {
      loop.execute(() -> close(code, reason));
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    meters.closeSent(code);
    if (frames == null) {
      closeCode = code; // sent right after the 101
      closeReason = truncate(reason);
    } else {
      frames.close(code, truncate(reason));
    }
  }

  private static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
      return reason;
    }
    int end = MAX_CLOSE_REASON_BYTES;
    while ((bytes[end] & 0xC0) == 0x80) {
      end--; // do not cut a UTF-8 sequence in half
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private boolean onEventLoop() {
    return loop.inEventLoop();
  }

  @Override
  public boolean isOpen() {
    return state == State.OPEN;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String pathInfo() {
    return pathInfo;
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public MultiMap headers() {
    return headers.unpack();
  }

  @Override
  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new HashMap<>(4); // apps keep a few entries; the default table has 16 slots
    }
    return attributes;
  }

  @Override
  public int openConnections() {
    return count.current();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String toString() {
    return "WebSocketConnection[" + id + " " + LogText.safe(path) + "]";
  }
}
