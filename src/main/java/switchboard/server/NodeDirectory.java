package switchboard.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import switchboard.pubsub.Broker;
import switchboard.pubsub.Message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The Switchboard nodes that share this node's broker, and questions put to all of them, for the server
 * API's {@code info} and {@code channels} (Centrifugo answers both for the whole cluster).
 *
 * <p>Every node publishes its {@code info} on {@link #HEARTBEATS} every {@value #HEARTBEAT_MILLIS} ms, and
 * forgets a node not heard from for three intervals. A <em>survey</em> goes out on {@link #SURVEYS}; every
 * node answers on the asker's own reply channel, and the survey completes when every node it knows has
 * answered, or fails after {@value #SURVEY_TIMEOUT_MILLIS} ms naming those that did not: a partial list
 * would look like a true one. The channels are Switchboard's reserved ones, so no client can see or forge
 * them; with one host and the local broker it all stays in this JVM.
 *
 * <p>One instance per node, deployed once. Thread-safe: {@link #nodes} and {@link #survey} may be called from
 * any event loop, and a survey's future completes on the caller's context.
 */
final class NodeDirectory extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(NodeDirectory.class.getName());
  static final String HEARTBEATS = "$switchboard:nodes";
  static final String SURVEYS = "$switchboard:survey";
  static final long HEARTBEAT_MILLIS = 3000;
  static final long SURVEY_TIMEOUT_MILLIS = 3000;

  private final Node node;
  /** What this node answers to each kind of survey, from a request's parameters. */
  private final Map<String, Function<JsonObject, JsonObject>> answers;
  private final Map<String, Seen> others = new ConcurrentHashMap<>();
  private final Map<Long, Survey> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<Broker.Subscription> subscriptions = new ArrayList<>();

  NodeDirectory(Node node, Map<String, Function<JsonObject, JsonObject>> answers) {
    this.node = node;
    this.answers = Map.copyOf(answers);
  }

  private record Seen(JsonObject info, long atMillis) {
  }

  @Override
  public Future<?> start() {
    Broker broker = node.broker();
    subscriptions.add(broker.subscribe(HEARTBEATS, this::heard));
    subscriptions.add(broker.subscribe(SURVEYS, this::asked));
    subscriptions.add(broker.subscribe(replies(node.id()), this::answered));
    heartbeat();
    vertx.setPeriodic(HEARTBEAT_MILLIS, t -> heartbeat());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return Future.all(subscriptions.stream().map(Broker.Subscription::cancel).toList());
  }

  /** This node's entry in {@code info}: the same fields as Centrifugo's node info. */
  JsonObject self() {
    return new JsonObject().put("uid", node.id()).put("name", node.name()).put("version", "switchboard")
        .put("num_clients", node.connections().sessions() + node.connections().sseSessions())
        .put("num_channels", node.meters().channelCount()).put("num_subs", node.meters().subscriptionCount())
        .put("uptime", node.uptimeMillis() / 1000);
  }

  /** Every node heard from lately, this one first. */
  List<JsonObject> nodes() {
    List<JsonObject> all = new ArrayList<>();
    all.add(self());
    long now = System.currentTimeMillis();
    others.values().removeIf(seen -> now - seen.atMillis > 3 * HEARTBEAT_MILLIS);
    others.values().forEach(seen -> all.add(seen.info));
    return all;
  }

  /**
   * Asks every known node (this one included) {@code kind} with {@code params}: their answers, one per node.
   * Call on an event loop; the future completes there.
   */
  Future<List<JsonObject>> survey(String kind, JsonObject params) {
    Context caller = vertx.getOrCreateContext();
    Set<String> expected = new HashSet<>();
    nodes().forEach(n -> expected.add(n.getString("uid")));
    long id = ids.incrementAndGet();
    Promise<List<JsonObject>> promise = Promise.promise();
    Survey survey = new Survey(expected, caller, promise);
    pending.put(id, survey);
    long timer = caller.owner().setTimer(SURVEY_TIMEOUT_MILLIS, t -> {
      if (pending.remove(id) != null) {
        String missing = survey.missing();
        LOG.log(WARNING, () -> "survey '" + kind + "': no answer within " + SURVEY_TIMEOUT_MILLIS + " ms from " + missing);
        promise.tryFail("no answer from node(s) " + missing);
      }
    });
    promise.future().onComplete(ar -> caller.owner().cancelTimer(timer));
    JsonObject request = new JsonObject().put("id", id).put("from", node.id()).put("kind", kind).put("params", params);
    node.publisher().publishReserved(Message.text(SURVEYS, request.encode())).onFailure(failure -> {
      pending.remove(id);
      promise.tryFail(failure);
    });
    return promise.future();
  }

  private static String replies(String nodeId) {
    return SURVEYS + ":" + nodeId;
  }

  private void heartbeat() {
    node.publisher().publishReserved(Message.text(HEARTBEATS, self().encode()))
        .onFailure(failure -> LOG.log(WARNING, () -> "node heartbeat not sent: " + failure));
  }

  private void heard(Message message) {
    JsonObject info = parse(message);
    if (info != null && info.getValue("uid") instanceof String uid && !uid.equals(node.id())) {
      others.put(uid, new Seen(info, System.currentTimeMillis()));
    }
  }

  private void asked(Message message) {
    JsonObject request = parse(message);
    if (request == null || !(request.getValue("from") instanceof String from)) {
      return;
    }
    Function<JsonObject, JsonObject> answer = answers.get(request.getString("kind", ""));
    JsonObject reply = new JsonObject().put("id", request.getLong("id", 0L)).put("node", node.id());
    if (answer == null) {
      reply.put("error", "unknown survey");
    } else {
      try {
        reply.put("answer", answer.apply(request.getJsonObject("params", new JsonObject())));
      } catch (IllegalArgumentException | ClassCastException e) {
        reply.put("error", "bad parameters: " + e.getMessage());
      }
    }
    node.publisher().publishReserved(Message.text(replies(from), reply.encode()))
        .onFailure(failure -> LOG.log(WARNING, () -> "survey answer not sent: " + failure));
  }

  private void answered(Message message) {
    JsonObject reply = parse(message);
    if (reply == null) {
      return;
    }
    long id = reply.getLong("id", 0L);
    Survey survey = pending.get(id);
    if (survey != null && survey.add(reply.getString("node", ""), reply)) {
      pending.remove(id);
    }
  }

  private static JsonObject parse(Message message) {
    try {
      return new JsonObject(message.textValue());
    } catch (DecodeException | ClassCastException e) {
      LOG.log(WARNING, () -> "a malformed message on " + message.channel() + " was dropped");
      return null;
    }
  }

  /** One survey's answers so far; complete once every expected node answered. */
  private static final class Survey {
    private final Set<String> expected;
    private final Context caller;
    private final Promise<List<JsonObject>> promise;
    private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();

    Survey(Set<String> expected, Context caller, Promise<List<JsonObject>> promise) {
      this.expected = expected;
      this.caller = caller;
      this.promise = promise;
    }

    /** Records a node's reply; true when that completed the survey. */
    synchronized boolean add(String nodeId, JsonObject reply) {
      answers.put(nodeId, reply);
      if (!answers.keySet().containsAll(expected)) {
        return false;
      }
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject r : answers.values()) {
        if (r.containsKey("error")) {
          caller.runOnContext(v -> promise.tryFail("node " + r.getString("node") + ": " + r.getString("error")));
          return true;
        }
        all.add(r.getJsonObject("answer"));
      }
      caller.runOnContext(v -> promise.tryComplete(all));
      return true;
    }

    synchronized String missing() {
      Set<String> left = new HashSet<>(expected);
      left.removeAll(answers.keySet());
      return String.join(", ", left);
    }
  }
}
