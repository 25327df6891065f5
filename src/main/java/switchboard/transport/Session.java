package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import switchboard.app.App;
import switchboard.app.CloseCodes;
import switchboard.app.Connection;
import switchboard.app.LogText;
import switchboard.app.Published;
import switchboard.app.Refusal;
import switchboard.config.Limits;
import switchboard.internal.VertxInternals;
import switchboard.metrics.Meters;
import switchboard.pubsub.Channels;
import switchboard.pubsub.Delivery;
import switchboard.pubsub.Hub;
import switchboard.pubsub.Message;
import switchboard.pubsub.Publisher;
import switchboard.pubsub.Subscriber;
import switchboard.pubsub.WireFormat;

import org.apache.commons.collections4.map.Flat3Map;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

/**
 * One client as an {@link App} sees it, whatever the transport: the lifecycle and the callbacks in the order
 * the App contract promises, attributes, subscriptions and their limit, the publish policy (message and
 * byte rates, refusals), the heartbeat, the close rules, and the reaction to the write budget that its
 * {@link Outbound} keeps. A transport makes the session, calls {@link #open()}, then {@link #attach} once
 * bytes can flow, and feeds it what the client sends.
 *
 * <p>Confined to its event loop; {@link #write}, {@link #publish} and {@link #close} hop there when called
 * from elsewhere, and every future it returns completes there. Deliveries are written in the session's
 * {@link WireFormat} (the transport's, around the app's {@link App#envelope} if it has one): a view of
 * bytes shared with every subscriber of that format on the instance.
 */
public final class Session implements Connection, Subscriber {

  private static final System.Logger LOG = System.getLogger(Session.class.getName());
  private static final int MAX_CLOSE_REASON_BYTES = 123;
  /** Requests refused in a row (rate, channel rules, pings) before the connection is closed with 1008. */
  private static final int REFUSALS_BEFORE_CLOSE = 10;
  private static final String[] NO_CHANNELS = {};

  private enum State { OPEN, CLOSING, CLOSED }

  /** Kept as a number, the id string made when asked (logs, mostly): an idle connection holds less. */
  private final long number;
  private final SessionServices services;
  private final App app;
  /** The transport's format: what the app writes goes out in it. */
  private final WireFormat format;
  /** What deliveries go out in: the transport's format, or it around the app's {@link App#envelope}. */
  private final WireFormat deliveryFormat;
  /** Reasons to hold direct sends now ({@link #hold}): 0 when none. */
  private int holds;
  /** Whether the app has an envelope: only then do joins and leaves reach this client. */
  private final boolean enveloped;
  private final boolean sse;
  private final String path;
  private final String pathInfo;
  private final String query;
  private final PackedHeaders headers;
  /** The client's IP, shared with Netty's channel, and port: Vert.x's address object and its strings cost 128 bytes. */
  private final InetAddress remoteIp;
  private final int remotePort;
  /**
   * Subscribed channels: usually one or a few, so an array sized to fit (24 bytes for one, none for none)
   * rather than a list (48) or a set (about 190); a subscribe or unsubscribe copies it.
   */
  private String[] channels = NO_CHANNELS;
  /** This session's place in its instance's {@link Heartbeat}, -1 when not in it; written by Heartbeat only. */
  int heartbeatSlot = -1;
  /** Made at the first publish, as full as they would be by then: many clients only listen. */
  private TokenBucket publishes;
  private TokenBucket publishedBytes;
  /** Made at the first ping: most clients never send one. */
  private TokenBucket pings;
  /** Null until the transport can send; until then writes and deliveries wait in {@link #early}. */
  private Outbound out;
  private List<ByteBuf> early = new ArrayList<>();
  private long earlyBytes;
  private short closeCode;
  private String closeReason;
  private int refusedInARow;
  private int silentBeats;
  private Map<String, Object> attributes;
  private State state = State.OPEN;

  /** Call on the instance's event loop, once the connection's place is reserved in {@link ConnectionCount}. */
  public Session(SessionServices services, App app, WireFormat format, String path, String pathInfo, String query,
      MultiMap headers, SocketAddress remoteAddress) {
    this(services, app, format, path, pathInfo, query, headers, remoteAddress, false);
  }

  /** With {@code sse}: counted as a Server-Sent Events session (the websocket count otherwise). */
  Session(SessionServices services, App app, WireFormat format, String path, String pathInfo, String query,
      MultiMap headers, SocketAddress remoteAddress, boolean sse) {
    this.sse = sse;
    this.services = services;
    this.number = services.count.nextNumber();
    this.app = app;
    this.format = format;
    switchboard.app.Envelope envelope = app.envelope();
    this.deliveryFormat = envelope == null ? format : format.wrappedIn(envelope);
    this.enveloped = envelope != null;
    this.path = path;
    this.pathInfo = pathInfo;
    this.query = query;
    this.headers = new PackedHeaders(headers);
    this.remoteIp = VertxInternals.ipAddress(remoteAddress);
    this.remotePort = remoteAddress.port();
    services.count.sessionOpened(sse);
  }

  // ---- what the transport calls

  /**
   * Calls {@link App#onOpen} before the client is told the connection is open: its subscriptions take effect
   * at once, and what it writes (and any delivery) waits for {@link #attach}. Then call {@link #attach} or
   * {@link #notAttached} in the same event-loop task, so that nothing else runs on this loop in between.
   */
  public void open() {
    try {
      app.onOpen(this);
    } catch (RuntimeException e) {
      failed("onOpen", e);
    }
  }

  /** The client can be written to: what waited goes first, then the app's close if it closed meanwhile. */
  void attach(Outbound outbound) {
    this.out = outbound;
    services.heartbeat.add(this);
    List<ByteBuf> waiting = early;
    early = null;
    for (ByteBuf bytes : waiting) {
      outbound.write(bytes);
    }
    if (state == State.CLOSING) {
      outbound.close(closeCode, closeReason);
    } else if (services.draining.getAsBoolean()) {
      // the server began shutting down while the handshake was on its way: the shutdown passed this socket by
      shutdown();
    }
  }

  /** The handshake failed after {@link #open}: the app sees the connection close. */
  public void notAttached(Throwable cause) {
    LOG.log(DEBUG, () -> id() + " handshake failed: " + cause);
    for (ByteBuf bytes : early) {
      bytes.release();
    }
    early = null;
    closed();
  }

  /** Anything from the client, a pong included, shows it is alive. */
  void heardFrom() {
    silentBeats = 0;
  }

  /**
   * What the transport's {@link MessageAssembler} made of the client's latest data frame: nothing yet, a
   * message for the app, or a broken rule (close 1009 too big, 1007 not UTF-8).
   */
  void assembled(MessageAssembler assembler, MessageAssembler.Outcome outcome) {
    switch (outcome) {
      case INCOMPLETE -> { }
      case TOO_BIG -> refuse(CloseCodes.MESSAGE_TOO_BIG, "message over " + services.limits.maxMessageBytes() + " bytes");
      case INVALID_UTF8 -> refuse(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
      case COMPLETE -> {
        if (assembler.isText()) {
          received(assembler.text());
        } else {
          received(assembler.binary());
        }
      }
    }
  }

  /** A complete text message from the client. */
  void received(String text) {
    received(() -> app.onMessage(this, text));
  }

  /** A complete binary message from the client, valid until this returns. */
  void received(Buffer binary) {
    received(() -> app.onMessage(this, binary));
  }

  /** Hands a client's message to the app, with deliveries held for the pass ({@link #hold}). */
  private void received(Runnable onMessage) {
    if (state != State.OPEN) {
      return;
    }
    services.meters.received();
    hold();
    // as the context's task: a future the app completes here (a publish) calls back here, in this pass
    VertxInternals.dispatch(services.context, () -> {
      try {
        onMessage.run();
      } catch (RuntimeException e) {
        failed("onMessage", e);
      }
    });
    unhold();
  }

  /**
   * Holds deliveries to this client for the end of the pass while its message is handled or its publish is
   * in flight ({@link Outbound#holdDirectSends}): its own publication coming back, and the reply the app
   * writes when the publish completes, then leave in one system call rather than two.
   */
  private void hold() {
    if (holds++ == 0 && out != null) {
      out.holdDirectSends(true);
    }
  }

  private void unhold() {
    if (--holds == 0 && out != null) {
      out.holdDirectSends(false);
    }
  }

  /** The client's input breaks a rule (too big, invalid UTF-8): close with the rule's code. */
  void refuse(short code, String why) {
    LOG.log(INFO, () -> id() + " closed with " + code + ": " + why);
    close(code, why);
  }

  /** The transport refused the client's input and sends the close itself. */
  void protocolError(short code, String why) {
    if (state == State.CLOSED) {
      return;
    }
    LOG.log(INFO, () -> id() + " closed with " + code + ": " + LogText.safe(why));
    services.meters.closeSent(code);
    state = State.CLOSING;
  }

  /** The client started the closing handshake: nothing more goes out but the answer to its close. */
  void closing() {
    if (state == State.OPEN) {
      state = State.CLOSING;
    }
  }

  /**
   * A client's ping, before it is answered: pings are held to the same rate as publishes. One past the rate
   * is not answered and counts as a refused request, so a ping flood is closed with 1008 after
   * {@value #REFUSALS_BEFORE_CLOSE} in a row, however fast the kernel takes the answers.
   */
  boolean pingAllowed() {
    if (pings == null) {
      pings = new TokenBucket(services.limits.publishPerSecond(), services.limits.publishBurst());
    }
    if (pings.take()) {
      return true;
    }
    services.meters.refused("ping-rate-limited");
    refused("pinging faster than " + services.limits.publishPerSecond() + "/s");
    return false;
  }

  /**
   * For a transport's handler: a graceful shutdown's event (Vert.x sends one down each connection's
   * pipeline) starts {@link #shutdown}; false for any other event, which the handler passes on.
   */
  boolean shutdownOn(Object event) {
    if (!VertxInternals.isShutdown(event)) {
      return false;
    }
    shutdown();
    return true;
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

  /** The connection ended (or the handshake failed after {@link #open}): {@link App#onClose}, exactly once. */
  void closed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    for (String name : channels) {
      services.hub.unsubscribe(name, this);
    }
    channels = NO_CHANNELS;
    services.count.sessionClosed(sse);
    services.count.release(remoteIp.getHostAddress());
    services.heartbeat.remove(this);
    try {
      app.onClose(this);
    } catch (RuntimeException e) {
      LOG.log(ERROR, id() + " app onClose failed", e);
    }
    attributes = null;
  }

  /** Called by the instance's {@link Heartbeat} each interval. */
  void heartbeat(int missedPongs) {
    if (state != State.OPEN) {
      return;
    }
    if (silentBeats >= missedPongs && out.answersPings()) {
      LOG.log(INFO, () -> id() + " closed: no answer to " + missedPongs + " pings");
      close(CloseCodes.GOING_AWAY, "no answer to pings");
      return;
    }
    silentBeats++;
    if (out.ping() == Outbound.Result.OVER_BUDGET) {
      slowConsumer();
    }
  }

  /**
   * The client has not read {@code limits.writeQueueBytes} of what was sent: close it with 1008 rather than
   * buffer without bound. Nothing more is read from it, it gets no more messages, and its TCP connection
   * ends after the closing timeout if it never reads the close either.
   */
  void slowConsumer() {
    if (state != State.OPEN) {
      return; // already closing: the closing timeout ends TCP
    }
    int budget = services.limits.writeQueueBytes();
    services.meters.slowConsumerClosed();
    LOG.log(INFO, () -> id() + " closed as a slow consumer: over " + budget + " bytes unread");
    close(CloseCodes.POLICY_VIOLATION, "slow consumer: over " + budget + " bytes unread");
    if (out != null) {
      out.stopReading();
    }
  }

  // ---- deliveries

  @Override
  public void deliver(Delivery delivery) {
    if (!enveloped && delivery.message().kind() != Published.Kind.PUBLICATION) {
      return; // a join or leave: only apps with an envelope show those
    }
    if (state != State.OPEN) {
      services.meters.dropped("connection-closing");
    } else if (out == null) {
      queueEarly(delivery.encoded(deliveryFormat).retainedDuplicate());
    } else {
      switch (out.writeShared(delivery.encoded(deliveryFormat))) {
        case QUEUED -> { }
        case OVER_BUDGET -> slowConsumer();
        // the client reset the connection and the transport has not noticed yet: not a slow consumer
        case GONE -> services.meters.dropped("connection-closing");
      }
    }
  }

  /** Before the client can be written to, writes and deliveries wait here; they count against the budget. */
  private void queueEarly(ByteBuf bytes) {
    early.add(bytes);
    earlyBytes += bytes.readableBytes();
    int budget = services.limits.writeQueueBytes();
    if (earlyBytes > budget && state == State.OPEN) {
      for (ByteBuf waiting : early) {
        waiting.release();
      }
      early.clear();
      services.meters.slowConsumerClosed();
      LOG.log(INFO, () -> id() + " closed before it opened: over " + budget + " bytes queued");
      close(CloseCodes.POLICY_VIOLATION, "slow consumer: over " + budget + " bytes unread");
    }
  }

  // ---- the app's side: Connection

  @Override
  public boolean write(String text) {
    if (!onEventLoop()) {
      services.loop.execute(() -> write(text));
      return state == State.OPEN;
    }
    return state == State.OPEN && send(format.encode(Message.text("", text), alloc()));
  }

  @Override
  public boolean write(Buffer binary) {
    if (!onEventLoop()) {
      services.loop.execute(() -> write(binary));
      return state == State.OPEN;
    }
    return state == State.OPEN && send(format.encode(Message.binary("", binary.getBytes()), alloc()));
  }

  private boolean send(ByteBuf bytes) {
    if (out == null) {
      queueEarly(bytes);
      return state == State.OPEN;
    }
    Outbound.Result result = out.write(bytes);
    if (result == Outbound.Result.OVER_BUDGET) {
      slowConsumer();
    }
    return result == Outbound.Result.QUEUED;
  }

  @Override
  public boolean subscribe(String name) {
    if (!Channels.isValid(name)) {
      refused("invalid channel name");
      throw new IllegalArgumentException(Channels.INVALID_NAME);
    }
    if (state != State.OPEN || indexOf(name) >= 0) {
      return false;
    }
    int max = services.limits.maxChannelsPerConnection();
    if (channels.length >= max) {
      refused("too many channels");
      throw new IllegalStateException("too many channels: the limit is " + max + " per connection");
    }
    refusedInARow = 0;
    channels = Arrays.copyOf(channels, channels.length + 1);
    channels[channels.length - 1] = name;
    return services.hub.subscribe(name, this);
  }

  @Override
  public boolean unsubscribe(String name) {
    int at = indexOf(name);
    if (at < 0) {
      return false;
    }
    String[] left = channels.length == 1 ? NO_CHANNELS : new String[channels.length - 1];
    System.arraycopy(channels, 0, left, 0, at);
    System.arraycopy(channels, at + 1, left, at, channels.length - at - 1);
    channels = left;
    return services.hub.unsubscribe(name, this);
  }

  private int indexOf(String channel) {
    for (int i = 0; i < channels.length; i++) {
      if (channels[i].equals(channel)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A request of this client was refused (bad channel name, too many channels, publishing or pinging too
   * fast): the app tells the client why; {@value #REFUSALS_BEFORE_CLOSE} in a row close it with 1008, and
   * nothing more is read from it (a flood's every further read would only be discarded).
   */
  private void refused(String why) {
    if (++refusedInARow >= REFUSALS_BEFORE_CLOSE && state == State.OPEN) {
      LOG.log(INFO, () -> id() + " closed with 1008: " + REFUSALS_BEFORE_CLOSE + " refusals in a row (" + why + ")");
      close(CloseCodes.POLICY_VIOLATION, "too many refused requests: " + why);
      if (out != null) {
        out.stopReading();
      }
    }
  }

  @Override
  public Future<Void> publish(String name, String text) {
    return publish(Message.text(name, text));
  }

  @Override
  public Future<Void> publish(String name, Buffer binary) {
    return publish(Message.binary(name, binary.getBytes()));
  }

  @Override
  public Future<Void> publish(String name, String text, String publisher) {
    return publish(Message.text(name, text).from(publisher));
  }

  @Override
  public Future<Void> announce(String name, Published.Kind kind, String who) {
    return publish(Message.announcement(name, kind, who));
  }

  /** Runs on this session's event loop (hopping there if called elsewhere); the future completes there too. */
  private Future<Void> publish(Message message) {
    Promise<Void> done = VertxInternals.promiseOn(services.context);
    if (onEventLoop()) {
      hold();
      publishOnLoop(message).onComplete(ar -> {
        unhold();
        done.handle(ar);
      });
    } else {
      services.context.runOnContext(v -> publishOnLoop(message).onComplete(done));
    }
    return done.future();
  }

  private Future<Void> publishOnLoop(Message message) {
    Limits limits = services.limits;
    if (publishes == null) {
      publishes = new TokenBucket(limits.publishPerSecond(), limits.publishBurst());
      publishedBytes = new TokenBucket(limits.publishBytesPerSecond(), limits.publishBurstBytes());
    }
    if (!publishes.take()) {
      services.meters.refused("rate-limited");
      refused("publishing faster than " + limits.publishPerSecond() + "/s");
      return Future.failedFuture(new Refusal(Refusal.Reason.RATE_LIMITED, "over " + limits.publishPerSecond()
          + " messages per second"));
    }
    // an oversize message is the Publisher's to refuse (TOO_LARGE); it must not drain the byte budget
    if (message.size() <= limits.maxMessageBytes() && !publishedBytes.take(message.size())) {
      services.meters.refused("byte-rate-limited");
      refused("publishing more than " + limits.publishBytesPerSecond() + " bytes/s");
      return Future.failedFuture(new Refusal(Refusal.Reason.RATE_LIMITED, "over " + limits.publishBytesPerSecond()
          + " bytes per second"));
    }
    if (!Channels.isValid(message.channel())) {
      refused("invalid channel name");
    } else {
      refusedInARow = 0;
    }
    // the pubsub layer's refusal becomes the app's: same reason, same words
    return services.publisher.publish(message).transform(ar -> ar.succeeded() ? Future.<Void>succeededFuture()
        : Future.failedFuture(ar.cause() instanceof Publisher.Refused refused
            ? new Refusal(Refusal.Reason.valueOf(refused.reason().name()), refused.getMessage()) : ar.cause()));
  }

  @Override
  public void close(short code, String reason) {
    if (!CloseCodes.isSendable(code)) {
      throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4): use 1000-1003, "
          + "1007-1014 or 3000-4999");
    }
    if (!onEventLoop()) {
      services.loop.execute(() -> close(code, reason));
      return;
    }
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    services.meters.closeSent(code);
    if (out == null) {
      closeCode = code; // sent once the transport can
      closeReason = truncate(reason);
    } else {
      out.close(code, truncate(reason));
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

  private void failed(String callback, RuntimeException e) {
    LOG.log(ERROR, id() + " app " + callback + " failed; closing with 1011", e);
    close(CloseCodes.INTERNAL_ERROR, "internal error");
  }

  private boolean onEventLoop() {
    return services.loop.inEventLoop();
  }

  private static ByteBufAllocator alloc() {
    return PooledByteBufAllocator.DEFAULT;
  }

  @Override
  public boolean isOpen() {
    return state == State.OPEN;
  }

  @Override
  public String id() {
    return "c" + number;
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
    return SocketAddress.inetSocketAddress(new InetSocketAddress(remoteIp, remotePort));
  }

  @Override
  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new Flat3Map<>(); // apps keep a few entries: up to three in its own fields, 56 bytes
    }
    return attributes;
  }

  @Override
  public int openConnections() {
    return services.count.current();
  }

  @Override
  public Vertx vertx() {
    return services.vertx;
  }

  /** The limits in force (for the transport's decoder). */
  Limits limits() {
    return services.limits;
  }

  @Override
  public String toString() {
    return "Session[" + id() + " " + LogText.safe(path) + "]";
  }
}
