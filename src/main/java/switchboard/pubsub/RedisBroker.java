package switchboard.pubsub;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Pub/sub across hosts through Redis, following DESIGN.md's decisions:
 * <ul>
 *   <li>payloads in Redis are the raw message bytes, channel names are the Switchboard names (plus an
 *       optional prefix), so any Redis client can PUBLISH into a channel or SUBSCRIBE to watch it;</li>
 *   <li>the JVM SUBSCRIBEs to a channel while some instance has a listener on it (reference-counted here)
 *       and never PSUBSCRIBEs;</li>
 *   <li>while Redis is up, a host delivers even its own publishes when they come back from Redis, so every
 *       subscriber everywhere sees one order per channel and each message once. A publish to a channel
 *       whose SUBSCRIBE is not yet confirmed waits for it, so a node always hears its own messages;</li>
 *   <li>a publish that Redis handed to fewer listeners than the channel had a moment ago reports
 *       {@link Reach#SOME_HOSTS} (see {@link ListenerPeaks}), so "all hosts" is never claimed wrongly;</li>
 *   <li>a SUBSCRIBE confirmation is always recorded, then the waiting publishes go, then the channel is
 *       reconciled with the current interest: a channel given up while its SUBSCRIBE was in flight is
 *       unsubscribed on the confirmation, and nothing waits for it;</li>
 *   <li>the frame type survives Redis ({@link RedisPayload}); a message from Redis over
 *       {@code maxMessageBytes} is dropped and counted ({@link OversizeDrops});</li>
 *   <li>while Redis is down, publishes are delivered on this host only ({@link Reach#THIS_HOST_ONLY_DEGRADED})
 *       and the link keeps reconnecting; a PUBLISH that fails in flight fails the publish rather than risk
 *       delivering it twice.</li>
 * </ul>
 * Thread-safe: the Redis side runs on one event-loop context of its own; callers hop there.
 */
public final class RedisBroker implements Broker, RedisLink.Listener {

  private final LocalBroker local;
  private final Context context;
  private final RedisLink link;
  private final String prefix;
  private final String where;
  /** Listeners per channel, across all instances; the key set is what Redis should be subscribed to. */
  private final Map<String, Integer> interest = new ConcurrentHashMap<>();
  // the rest is confined to the context
  /** What this JVM asked Redis for per channel, and how many of those answers are still to come. */
  private final Map<String, RedisInterest> asked = new HashMap<>();
  private final Map<String, List<Runnable>> awaitingSubscribe = new HashMap<>();
  private final OversizeDrops oversize;
  private final ListenerPeaks peaks = new ListenerPeaks();
  private long downSince = -1;
  private static final System.Logger LOG = System.getLogger(RedisBroker.class.getName());

  /** Creates the broker and starts connecting; call on an event loop (its context becomes the bridge's). */
  public RedisBroker(Vertx vertx, LocalBroker local, RedisOptions options, String prefix, String maskedUri,
      int maxMessageBytes, OversizeDrops.Counter dropped) {
    this.local = local;
    this.context = vertx.getOrCreateContext();
    this.prefix = prefix;
    this.where = maskedUri;
    this.oversize = new OversizeDrops(maxMessageBytes, dropped);
    this.link = new RedisLink(vertx, () -> Redis.createClient(vertx, options), maskedUri, prefix, this);
    context.runOnContext(v -> {
      link.start();
      vertx.setPeriodic(ListenerPeaks.WINDOW_MS, t -> peaks.expire(nowMillis()));
    });
  }

  @Override
  public Future<Reach> publish(Message message) {
    Promise<Reach> result = Promise.promise();
    context.runOnContext(v -> publishOnContext(message, result));
    return result.future();
  }

  private void publishOnContext(Message message, Promise<Reach> result) {
    if (!link.isUp()) {
      local.deliver(message);
      result.complete(Reach.THIS_HOST_ONLY_DEGRADED);
      return;
    }
    String channel = message.channel();
    if (mustWaitForSubscribe(channel)) {
      awaitingSubscribe.computeIfAbsent(channel, c -> new ArrayList<>()).add(() -> publishOnContext(message, result));
      return;
    }
    link.publish(prefix + channel, RedisPayload.encode(message))
        .map(receivers -> peaks.full(channel, receivers, nowMillis()) ? Reach.ALL_HOSTS : Reach.SOME_HOSTS)
        .onComplete(result);
  }

  @Override
  public Subscription subscribe(String channel, Handler<Message> listener) {
    Subscription inner = local.subscribe(channel, listener);
    if (interest.merge(channel, 1, Integer::sum) == 1) {
      context.runOnContext(v -> reconcile(channel));
    }
    AtomicBoolean cancelled = new AtomicBoolean();
    return () -> {
      if (cancelled.compareAndSet(false, true)
          && interest.computeIfPresent(channel, (c, n) -> n == 1 ? null : n - 1) == null) {
        context.runOnContext(v -> reconcile(channel));
      }
      return inner.cancel();
    };
  }

  /**
   * A publish to a channel this JVM listens on waits until Redis confirmed the SUBSCRIBE, so that this host
   * hears its own message. Nothing waits on a channel no one here wants, or on one Redis refused (NOPERM).
   */
  private boolean mustWaitForSubscribe(String channel) {
    RedisInterest state = asked.get(channel);
    return interest.containsKey(channel) && (state == null || !state.confirmedSubscribed()) && !forbidden(channel);
  }

  private boolean forbidden(String channel) {
    RedisInterest state = asked.get(channel);
    return state != null && state.forbidden();
  }

  /** Brings Redis in line with the current interest in one channel, whatever order the changes came in. */
  private void reconcile(String channel) {
    boolean wanted = interest.containsKey(channel);
    RedisInterest state = asked.get(channel);
    boolean subscribing = state != null && state.subscribing();
    if (wanted && !subscribing && link.isUp()) {
      asked.computeIfAbsent(channel, c -> new RedisInterest()).sent(true);
      link.subscribe(List.of(prefix + channel)).onFailure(e -> refused(List.of(channel), e));
    } else if (!wanted && subscribing && !state.forbidden()) {
      state.sent(false);
      link.unsubscribe(List.of(prefix + channel));
    } else if (!wanted && state != null && state.settled()) {
      asked.remove(channel);
    }
    drainIfReady(channel);
  }

  /** Publishes that waited for this channel's SUBSCRIBE go once nothing is left to wait for. */
  private void drainIfReady(String channel) {
    if (!mustWaitForSubscribe(channel)) {
      List<Runnable> waiting = awaitingSubscribe.remove(channel);
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    }
  }

  /**
   * Redis answered a (UN)SUBSCRIBE of ours. Recorded first, whatever the interest is now; then the
   * publishes that waited for it go, then the channel is brought in line with the current interest (a late
   * confirmation of a channel nobody wants any more is unsubscribed, not leaked).
   */
  private void answered(String redisChannel) {
    String channel = ourName(redisChannel);
    RedisInterest state = channel == null ? null : asked.get(channel);
    if (state == null) {
      return;
    }
    state.answered();
    reconcile(channel);
  }

  /** A (UN)SUBSCRIBE was refused; NOPERM (an ACL) is logged as such and not retried until the link restarts. */
  private void refused(List<String> channels, Throwable e) {
    boolean noPermission = String.valueOf(e.getMessage()).startsWith("NOPERM");
    for (String channel : channels) {
      RedisInterest state = asked.get(channel);
      if (state == null) {
        continue;
      }
      state.failed(noPermission);
      if (noPermission) {
        LOG.log(WARNING, "Redis at " + where + " refused SUBSCRIBE " + prefix + channel + " (NOPERM: the Redis user "
            + "may not use this channel); messages published elsewhere will not reach its subscribers here");
      }
      reconcile(channel);
    }
  }

  @Override
  public void linkUp() {
    if (downSince >= 0) {
      peaks.linkRestored(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
      downSince = -1;
    }
    asked.clear();
    List<String> channels = new ArrayList<>(interest.keySet());
    List<String> names = new ArrayList<>();
    for (String channel : channels) {
      RedisInterest state = new RedisInterest();
      state.sent(true);
      asked.put(channel, state);
      names.add(prefix + channel);
    }
    link.subscribe(names).onFailure(e -> {
      // one channel the ACL forbids fails the whole command: find it by asking for each alone
      for (String channel : channels) {
        RedisInterest state = asked.get(channel);
        if (state != null) {
          state.answered();
          state.resetForRetry();
        }
        reconcile(channel);
      }
    });
  }

  @Override
  public void linkDown() {
    downSince = System.nanoTime();
    asked.clear();
    // publishes that waited for a SUBSCRIBE now go out the degraded way: this host only
    List<Runnable> waiting = new ArrayList<>();
    awaitingSubscribe.values().forEach(waiting::addAll);
    awaitingSubscribe.clear();
    waiting.forEach(Runnable::run);
  }

  @Override
  public void subscribed(String redisChannel) {
    answered(redisChannel);
  }

  @Override
  public void unsubscribed(String redisChannel) {
    answered(redisChannel);
  }

  @Override
  public void message(String redisChannel, byte[] payload) {
    String channel = ourName(redisChannel);
    // a reserved channel (the server's own control messages) reaches only the server's own subscribers
    if (channel != null && (Channels.isValid(channel) || Channels.isReserved(channel)) && oversize.admit(channel, payload.length)) {
      local.deliver(RedisPayload.decode(channel, payload));
    }
  }

  /** A monotonic millisecond clock: deadlines and windows must not jump with the wall clock. */
  private static long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  private String ourName(String redisChannel) {
    return redisChannel.startsWith(prefix) ? redisChannel.substring(prefix.length()) : null;
  }

  /** True while the link is up and the canary came back within the deadline; readable from any thread. */
  boolean isReady() {
    return link.isUp() && link.canaryFresh();
  }

  @Override
  public BrokerHealth health() {
    return new BrokerHealth(true, link.isUp(), isReady(), link.reconnects());
  }

  @Override
  public String describe() {
    return "redis (" + where + (prefix.isEmpty() ? "" : ", prefix \"" + prefix + "\"") + ")";
  }

  /** Reads the bridge's state on its context; callable from any thread. */
  @Override
  public Future<JsonObject> status() {
    Promise<JsonObject> result = Promise.promise();
    context.runOnContext(v -> result.complete(link.status().put("mode", "redis").put("prefix", prefix)
        .put("subscribedChannels", asked.values().stream().filter(RedisInterest::confirmedSubscribed).count())
        .put("wantedChannels", interest.size())));
    return result.future();
  }

  /** Stops reconnecting and closes the connections. */
  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      link.close();
      done.complete();
    });
    return done.future();
  }
}
