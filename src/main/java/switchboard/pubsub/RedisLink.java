package switchboard.pubsub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * This JVM's two connections to Redis: a publisher (one connection, so this node's publishes keep their
 * order; a pool would reorder) and a subscriber (SUBSCRIBE needs a connection of its own, and nothing but
 * (UN)SUBSCRIBE may be sent on it: the 5.x client mixes command replies with pushes there).
 *
 * <p>It never gives up: a failed or lost link is retried with backoff from 100 ms doubling to 1 s. Liveness
 * is proved end to end: every {@value #TICK_MS} ms it publishes a canary on a private channel and must hear
 * it back on the subscriber; a canary or a PUBLISH unanswered for {@value #DEADLINE_MS} ms (a half-open TCP
 * link, a frozen Redis) counts as a lost link. Connecting is bounded by the same deadline.
 *
 * <p>Confined to one event-loop context: call every method there.
 */
final class RedisLink {

  /** What the link tells its owner, always on the link's context. */
  interface Listener {
    /** Both connections are ready: subscribe to what is wanted. */
    void linkUp();

    /** The connections are gone; every subscription with them. */
    void linkDown();

    /** Redis confirmed a SUBSCRIBE of this channel. */
    void subscribed(String redisChannel);

    /** Redis confirmed an UNSUBSCRIBE of this channel. */
    void unsubscribed(String redisChannel);

    void message(String redisChannel, byte[] payload);
  }

  static final long TICK_MS = 500;
  static final long DEADLINE_MS = 3000;
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 1000;
  private static final int CHANNELS_PER_COMMAND = 500;
  private static final byte[] CANARY = "canary".getBytes(StandardCharsets.US_ASCII);
  private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());

  private final Vertx vertx;
  /** A new client (and so a new pool) per attempt: a pool can keep dead sockets from a crash and stall. */
  private final Supplier<Redis> clients;
  private Redis client;
  private final String where;
  private final Listener listener;
  /** Not a valid Switchboard channel name ('/' is refused), so no client can collide with it. */
  private final String canaryChannel;
  private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
  private final ArrayDeque<PendingCommand> unanswered = new ArrayDeque<>();
  private RedisConnection publisher;
  private RedisConnection subscriber;
  private volatile boolean up;
  private boolean warned;
  private boolean closed;
  private int generation;
  private long backoffMs = MIN_BACKOFF_MS;
  private volatile long reconnects;
  /** Wall clock, for people (status); every deadline below uses System.nanoTime. */
  private long since = System.currentTimeMillis();
  private volatile long canaryHeardAtNanos;
  private long timer = -1;

  RedisLink(Vertx vertx, Supplier<Redis> clients, String where, String prefix, Listener listener) {
    this.vertx = vertx;
    this.clients = clients;
    this.where = where;
    this.listener = listener;
    this.canaryChannel = prefix + "switchboard/canary/" + UUID.randomUUID();
  }

  void start() {
    connect();
    timer = vertx.setPeriodic(TICK_MS, t -> tick());
  }

  /** Readable from any thread. */
  boolean isUp() {
    return up;
  }

  /** The canary came back within the deadline; readable from any thread. */
  boolean canaryFresh() {
    return System.nanoTime() - canaryHeardAtNanos <= TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
  }

  long reconnects() {
    return reconnects;
  }

  /** PUBLISH on the publisher connection, giving the number of Redis subscribers that got it. */
  Future<Long> publish(String redisChannel, byte[] payload) {
    if (!up) {
      return Future.failedFuture("Redis at " + where + " is unreachable");
    }
    int gen = generation;
    inFlight.addLast(System.nanoTime());
    return publisher.send(Request.cmd(Command.PUBLISH).arg(redisChannel).arg(payload))
        .andThen(ar -> {
          if (gen == generation) {
            inFlight.pollFirst(); // replies come in order: this was the oldest
          }
        })
        .map(Response::toLong);
  }

  /**
   * SUBSCRIBE; each channel's confirmation comes through {@link Listener#subscribed}. The future fails when
   * Redis refuses the command: a NOPERM (the Redis user's ACL forbids a channel) is the caller's to handle
   * and keeps the link up; any other failure also counts as a lost link.
   */
  Future<Void> subscribe(Collection<String> redisChannels) {
    return send(Command.SUBSCRIBE, redisChannels);
  }

  Future<Void> unsubscribe(Collection<String> redisChannels) {
    return send(Command.UNSUBSCRIBE, redisChannels);
  }

  private Future<Void> send(Command command, Collection<String> redisChannels) {
    if (!up || redisChannels.isEmpty()) {
      return Future.succeededFuture();
    }
    int gen = generation;
    java.util.List<Future<Void>> sent = new java.util.ArrayList<>();
    Iterator<String> names = redisChannels.iterator();
    while (names.hasNext()) {
      Request request = Request.cmd(command);
      int count = 0;
      for (; count < CHANNELS_PER_COMMAND && names.hasNext(); count++) {
        request.arg(names.next());
      }
      PendingCommand pending = new PendingCommand(command, count);
      unanswered.addLast(pending);
      sent.add(pending.answered.future());
      // the client completes a (UN)SUBSCRIBE once it is written; Redis's answers come as pushes (see pushed)
      subscriber.send(request).onFailure(e -> lost(gen, command + " failed: " + e.getMessage()));
    }
    return Future.all(sent).mapEmpty();
  }

  /**
   * A (UN)SUBSCRIBE sent on the subscriber connection and not fully answered yet. Redis answers the commands
   * of one connection in order: one confirmation per channel, or one error for the whole command (the
   * client hands both to our push handler, not to the command's future), so the oldest one is the one answered.
   */
  private static final class PendingCommand {
    final Command command;
    final io.vertx.core.Promise<Void> answered = io.vertx.core.Promise.promise();
    int confirmationsLeft;

    PendingCommand(Command command, int channels) {
      this.command = command;
      this.confirmationsLeft = channels;
    }
  }

  /** Redis refused the oldest unanswered (UN)SUBSCRIBE; anything but a NOPERM also means the link is unusable. */
  private void refused(String error) {
    PendingCommand oldest = unanswered.pollFirst();
    if (oldest != null) {
      oldest.answered.tryFail(error);
    }
    if (!error.startsWith("NOPERM")) {
      lost(generation, "Redis refused " + (oldest == null ? "a command" : oldest.command.toString()) + ": " + error);
    }
  }

  /** Redis's answer when the connection's ACL user may not use a channel or command. */
  static boolean isNoPermission(Throwable e) {
    return String.valueOf(e.getMessage()).startsWith("NOPERM");
  }

  JsonObject status() {
    return new JsonObject()
        .put("uri", where)
        .put("state", up ? "connected" : "reconnecting")
        .put("since", Instant.ofEpochMilli(since).toString())
        .put("reconnects", reconnects);
  }

  void close() {
    closed = true;
    vertx.cancelTimer(timer);
    generation++;
    kill(publisher);
    kill(subscriber);
    if (client != null) {
      client.close();
    }
    up = false;
    failUnanswered();
  }

  private void connect() {
    int gen = ++generation;
    if (client != null) {
      client.close(); // closes every connection of the previous attempt's pool
    }
    client = clients.get();
    Future<RedisConnection> pub = client.connect().timeout(DEADLINE_MS, TimeUnit.MILLISECONDS);
    Future<RedisConnection> sub = client.connect().timeout(DEADLINE_MS, TimeUnit.MILLISECONDS);
    Future.join(pub, sub).onComplete(ar -> {
      if (gen != generation || closed || pub.failed() || sub.failed()) {
        pub.onSuccess(RedisLink::kill); // also when it succeeds after the deadline
        sub.onSuccess(RedisLink::kill);
        if (gen == generation && !closed) {
          attemptFailed(pub.failed() ? pub.cause() : sub.cause());
        }
        return;
      }
      opened(gen, pub.result(), sub.result());
    });
  }

  private void opened(int gen, RedisConnection pub, RedisConnection sub) {
    publisher = pub;
    subscriber = sub;
    failUnanswered(); // any left from an earlier connection will never be answered
    for (RedisConnection c : new RedisConnection[] {pub, sub}) {
      c.endHandler(v -> lost(gen, "connection closed"));
      c.exceptionHandler(e -> lost(gen, e.toString()));
    }
    sub.handler(push -> {
      if (gen == generation) {
        pushed(push);
      }
    });
    up = true;
    since = System.currentTimeMillis();
    canaryHeardAtNanos = System.nanoTime();
    backoffMs = MIN_BACKOFF_MS;
    inFlight.clear();
    subscribe(java.util.List.of(canaryChannel)).onFailure(e -> {
      if (isNoPermission(e)) {
        LOG.log(WARNING, "Redis at " + where + " refused the readiness canary (NOPERM): let the Redis user "
            + "SUBSCRIBE and PUBLISH on " + canaryChannel.substring(0, canaryChannel.lastIndexOf('/') + 1)
            + "*; until then this host reports not ready");
      }
    });
    if (warned || reconnects > 0) {
      LOG.log(INFO, "Redis at " + where + " is back: pub/sub spans every host again");
    } else {
      LOG.log(INFO, "Redis at " + where + " connected: pub/sub spans every host on it");
    }
    warned = false;
    listener.linkUp();
  }

  private void pushed(Response push) {
    if (push != null && push.type() == io.vertx.redis.client.ResponseType.ERROR) {
      refused(push.toString());
      return;
    }
    if (push == null || push.size() < 2) {
      return;
    }
    String pushKind = push.get(0).toString();
    if (pushKind.equals("subscribe") || pushKind.equals("unsubscribe")) {
      PendingCommand oldest = unanswered.peekFirst();
      if (oldest != null && --oldest.confirmationsLeft <= 0) {
        unanswered.pollFirst();
        oldest.answered.tryComplete();
      }
    }
    String kind = push.get(0).toString();
    String channel = push.get(1).toString();
    if (channel.equals(canaryChannel)) {
      canaryHeardAtNanos = System.nanoTime();
    } else if (kind.equals("message") && push.size() >= 3) {
      listener.message(channel, push.get(2).toBytes());
    } else if (kind.equals("subscribe")) {
      listener.subscribed(channel);
    } else if (kind.equals("unsubscribe")) {
      listener.unsubscribed(channel);
    }
  }

  private void tick() {
    if (!up) {
      return;
    }
    long now = System.nanoTime();
    long deadline = TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
    Long oldest = inFlight.peekFirst();
    if (oldest != null && now - oldest > deadline) {
      lost(generation, "a PUBLISH got no answer for " + DEADLINE_MS + " ms");
    } else if (now - canaryHeardAtNanos > deadline) {
      lost(generation, "the subscriber connection heard nothing for " + DEADLINE_MS + " ms");
    } else {
      publish(canaryChannel, CANARY);
    }
  }

  private void lost(int gen, String reason) {
    if (gen != generation || closed) {
      return; // an old connection's late news
    }
    generation++;
    kill(publisher);
    kill(subscriber);
    publisher = null;
    subscriber = null;
    inFlight.clear();
    if (up) {
      up = false;
      since = System.currentTimeMillis();
      warned = true;
      LOG.log(WARNING, "Redis at " + where + " lost (" + reason + "); pub/sub continues across this host's instances; reconnecting");
      listener.linkDown();
    }
    failUnanswered(); // after linkDown: the owner has already forgotten what was asked
    retry();
  }

  private void attemptFailed(Throwable cause) {
    if (!warned) {
      warned = true;
      LOG.log(WARNING, "Redis at " + where + " unreachable (" + describe(cause)
          + "); pub/sub continues across this host's instances; retrying");
    } else {
      LOG.log(DEBUG, () -> "Redis at " + where + " still unreachable: " + describe(cause));
    }
    retry();
  }

  /** Why a connection attempt failed, in words an operator can act on (TLS failures say what to check). */
  static String describe(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS handshake failed: " + t.getMessage() + "; the connection is never used unverified: check that "
            + "redis.tls.caPath holds the CA that signed Redis's certificate and that the certificate names the "
            + "host in redis.uri";
      }
    }
    return String.valueOf(cause.getMessage());
  }

  private void retry() {
    reconnects++;
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, t -> {
      if (!closed && !up) {
        connect();
      }
    });
  }

  private void failUnanswered() {
    for (PendingCommand pending : unanswered) {
      pending.answered.tryFail("the Redis link was lost");
    }
    unanswered.clear();
  }

  /** Really closes a connection: a pooled connection's close() would hand a dead socket back to the pool. */
  private static void kill(RedisConnection connection) {
    switchboard.internal.VertxInternals.forceClose(connection);
  }
}
