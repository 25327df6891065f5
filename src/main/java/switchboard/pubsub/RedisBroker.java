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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
  private final Set<String> subscribed = new HashSet<>();
  private final Set<String> requested = new HashSet<>();
  private final Map<String, List<Runnable>> awaitingSubscribe = new HashMap<>();
  private final ListenerPeaks peaks = new ListenerPeaks();
  private long downSince = -1;

  /** Creates the broker and starts connecting; call on an event loop (its context becomes the bridge's). */
  public RedisBroker(Vertx vertx, LocalBroker local, String uri, String prefix, String maskedUri) {
    this.local = local;
    this.context = vertx.getOrCreateContext();
    this.prefix = prefix;
    this.where = maskedUri;
    RedisOptions options = new RedisOptions().setConnectionString(uri).setMaxPoolSize(2);
    this.link = new RedisLink(vertx, () -> Redis.createClient(vertx, options), maskedUri, prefix, this);
    context.runOnContext(v -> {
      link.start();
      vertx.setPeriodic(ListenerPeaks.WINDOW_MS, t -> peaks.expire(System.currentTimeMillis()));
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
    if (interest.containsKey(channel) && !subscribed.contains(channel)) {
      awaitingSubscribe.computeIfAbsent(channel, c -> new ArrayList<>()).add(() -> publishOnContext(message, result));
      return;
    }
    byte[] payload = new byte[message.size()];
    message.payload().get(payload);
    link.publish(prefix + channel, payload)
        .map(receivers -> peaks.full(channel, receivers, System.currentTimeMillis()) ? Reach.ALL_HOSTS : Reach.SOME_HOSTS)
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

  /** Brings Redis in line with the current interest in one channel, whatever order the changes came in. */
  private void reconcile(String channel) {
    boolean wanted = interest.containsKey(channel);
    boolean asked = subscribed.contains(channel) || requested.contains(channel);
    if (wanted && !asked && link.isUp()) {
      requested.add(channel);
      link.subscribe(List.of(prefix + channel));
    } else if (!wanted && asked) {
      subscribed.remove(channel);
      requested.remove(channel);
      link.unsubscribe(List.of(prefix + channel));
    }
  }

  @Override
  public void linkUp() {
    if (downSince >= 0) {
      peaks.linkRestored(System.currentTimeMillis() - downSince);
      downSince = -1;
    }
    subscribed.clear();
    requested.clear();
    List<String> names = new ArrayList<>();
    for (String channel : interest.keySet()) {
      requested.add(channel);
      names.add(prefix + channel);
    }
    link.subscribe(names);
  }

  @Override
  public void linkDown() {
    downSince = System.currentTimeMillis();
    subscribed.clear();
    requested.clear();
    // publishes that waited for a SUBSCRIBE now go out the degraded way: this host only
    List<Runnable> waiting = new ArrayList<>();
    awaitingSubscribe.values().forEach(waiting::addAll);
    awaitingSubscribe.clear();
    waiting.forEach(Runnable::run);
  }

  @Override
  public void subscribed(String redisChannel) {
    String channel = ourName(redisChannel);
    if (channel == null || !requested.remove(channel) || !interest.containsKey(channel)) {
      return;
    }
    subscribed.add(channel);
    List<Runnable> waiting = awaitingSubscribe.remove(channel);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  @Override
  public void message(String redisChannel, byte[] payload) {
    String channel = ourName(redisChannel);
    if (channel != null && Channels.isValid(channel)) {
      local.deliver(Message.detect(channel, payload));
    }
  }

  private String ourName(String redisChannel) {
    return redisChannel.startsWith(prefix) ? redisChannel.substring(prefix.length()) : null;
  }

  /** The link state as last seen; readable from any thread (health, gauges). */
  public boolean isUp() {
    return link.isUp();
  }

  /** True while the link is up and the canary came back within the deadline. */
  public boolean isReady() {
    return link.isUp() && link.canaryFresh();
  }

  public long reconnects() {
    return link.reconnects();
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
        .put("subscribedChannels", subscribed.size()).put("wantedChannels", interest.size())));
    return result.future();
  }

  /** Stops reconnecting and closes the connections. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      link.close();
      done.complete();
    });
    return done.future();
  }
}
