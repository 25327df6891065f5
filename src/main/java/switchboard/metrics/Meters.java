package switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Switchboard's own meters, shared by all instances (Micrometer meters are thread-safe). Hot-path updates
 * are per message, never per subscriber: a fan-out counts its deliveries with one increment.
 * Names follow Micrometer conventions; Prometheus shows them as {@code switchboard_*}.
 */
public final class Meters {

  private final MeterRegistry registry;
  /** Subscribers per channel on this host (all instances): the key set is the channels with subscribers. */
  private final Map<String, Integer> channelSubscribers = new ConcurrentHashMap<>();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final Counter received;
  private final Counter delivered;
  private final Counter slowConsumerCloses;
  private final Timer latency;

  public Meters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("switchboard.channels", channelSubscribers, Map::size)
        .description("distinct channels with at least one subscriber on this host").register(registry);
    Gauge.builder("switchboard.subscriptions", subscriptions, AtomicInteger::get)
        .description("connection-channel subscriptions").register(registry);
    received = Counter.builder("switchboard.messages.received").description("messages received from clients").register(registry);
    delivered = Counter.builder("switchboard.messages.delivered").description("messages written to subscribers").register(registry);
    slowConsumerCloses = Counter.builder("switchboard.slow.consumer.closes")
        .description("connections closed because they did not read fast enough").register(registry);
    // read on scrape from the rings' own counts: nothing is added to the send path
    io.micrometer.core.instrument.FunctionCounter.builder("switchboard.batched.writes", this,
            m -> switchboard.internal.SendRing.sendsSubmitted())
        .description("sends (one per socket per event-loop pass) made together through io_uring").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("switchboard.batched.write.calls", this,
            m -> switchboard.internal.SendRing.entersMade())
        .description("io_uring_enter system calls that carried them").register(registry);
    latency = Timer.builder("switchboard.delivery.latency")
        .description("from a message entering this JVM (publish, or arrival from Redis) to its fan-out")
        // buckets only, no percentiles computed here: Prometheus aggregates buckets across hosts, and the
        // admin page reads them through LatencyWindow (this also keeps HdrHistogram out of the server)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /** Meters on the Vert.x Micrometer registry when metrics are on, else on a registry of their own. */
  public static Meters forServer() {
    MeterRegistry vertxRegistry = BackendRegistries.getDefaultNow();
    return new Meters(vertxRegistry != null ? vertxRegistry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** Meters that count but are never scraped (unit tests). */
  public static Meters discarding() {
    return new Meters(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry for /metrics, when it is a Prometheus one. */
  public PrometheusMeterRegistry prometheus() {
    return registry instanceof PrometheusMeterRegistry p ? p : null;
  }

  /** A gauge read on scrape, e.g. open connections or the Redis link state. */
  public void gauge(String name, String description, DoubleSupplier value, String... tags) {
    Gauge.builder(name, value::getAsDouble).description(description).tags(tags).register(registry);
  }

  /** A connection subscribed to a channel (per subscription, never per message). */
  public void subscribed(String channel) {
    channelSubscribers.merge(channel, 1, Integer::sum);
    subscriptions.incrementAndGet();
  }

  /** A connection left a channel. */
  public void unsubscribed(String channel) {
    channelSubscribers.computeIfPresent(channel, (c, n) -> n == 1 ? null : n - 1);
    subscriptions.decrementAndGet();
  }

  /** Subscribers per channel on this host, a live read-only view (for the server API's {@code channels}). */
  public Map<String, Integer> channelSubscribers() {
    return java.util.Collections.unmodifiableMap(channelSubscribers);
  }

  public void received() {
    received.increment();
  }

  /** One message fanned out to {@code count} subscribers of an instance. */
  public void delivered(long enteredNanos, int count) {
    delivered.increment(count);
    latency.record(System.nanoTime() - enteredNanos, TimeUnit.NANOSECONDS);
  }

  public void published(String reach) {
    registry.counter("switchboard.messages.published", "reach", reach).increment();
  }

  public void refused(String reason) {
    registry.counter("switchboard.messages.refused", "reason", reason).increment();
  }

  public void dropped(String reason) {
    registry.counter("switchboard.messages.dropped", "reason", reason).increment();
  }

  public void closeSent(short code) {
    registry.counter("switchboard.closes.sent", "code", String.valueOf(code)).increment();
  }

  public void slowConsumerClosed() {
    slowConsumerCloses.increment();
  }

  // read by the admin feed
  public int channelCount() {
    return channelSubscribers.size();
  }

  public int subscriptionCount() {
    return subscriptions.get();
  }

  public double receivedCount() {
    return received.count();
  }

  public double deliveredCount() {
    return delivered.count();
  }

  /** Delivery-latency percentiles over successive windows, for one reader. */
  public LatencyWindow latencyWindow() {
    return new LatencyWindow(latency);
  }
}
