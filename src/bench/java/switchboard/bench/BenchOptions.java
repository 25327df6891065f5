package switchboard.bench;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Command-line options of {@code ./run.sh bench MODE [--name value ...]}; see {@link Bench#USAGE}. */
record BenchOptions(String mode, URI url, int subscribers, int connections, double rate, boolean maxRate,
                    int window, int seconds, int warmup, int size, long serverPid, String redis, int concurrency,
                    int sourceAddresses, String label, String path, int messages, boolean forcedGc, boolean sse,
                    boolean centrifuge, String apiKey, String subscribePath, String publishPath, int settleCore, String io) {

  static BenchOptions parse(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("name a mode first");
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options come as --name value pairs: " + args[i]);
      }
      o.put(args[i].substring(2), args[++i]);
    }
    String rate = o.getOrDefault("rate", "100");
    URI url = URI.create(o.getOrDefault("url", "ws://127.0.0.1:3000"));
    BenchOptions options = new BenchOptions(args[0],
        url,
        Integer.parseInt(o.getOrDefault("subscribers", "1000")),
        Integer.parseInt(o.getOrDefault("connections", "1000")),
        rate.equals("max") ? 0 : Double.parseDouble(rate),
        rate.equals("max"),
        Integer.parseInt(o.getOrDefault("window", "16")),
        Integer.parseInt(o.getOrDefault("seconds", "10")),
        Integer.parseInt(o.getOrDefault("warmup", "3")),
        Integer.parseInt(o.getOrDefault("size", "64")),
        Long.parseLong(o.getOrDefault("server-pid", "0")),
        o.getOrDefault("redis", "redis://127.0.0.1:6379"),
        Integer.parseInt(o.getOrDefault("concurrency", "50")),
        Integer.parseInt(o.getOrDefault("source-addresses", "8")),
        o.getOrDefault("label", ""),
        o.getOrDefault("path", "/{n}"),
        Integer.parseInt(o.getOrDefault("messages", "24")),
        !"no".equals(o.getOrDefault("gc", "yes")),
        transport(o.getOrDefault("transport", "ws")),
        protocol(o.getOrDefault("protocol", "chat")),
        o.getOrDefault("api-key", null),
        o.getOrDefault("subscribe-path", "/s{n}"),
        o.getOrDefault("publish-path", "/publisher"),
        Integer.parseInt(o.getOrDefault("settle-core", "-1")),
        ToolIo.checked(o.getOrDefault("io", ToolIo.preferred(url))));
    o.keySet().removeAll(java.util.List.of("url", "subscribers", "connections", "rate", "window", "seconds", "warmup",
        "size", "server-pid", "redis", "concurrency", "source-addresses", "label", "path", "messages", "gc", "transport",
        "protocol", "api-key", "subscribe-path", "publish-path", "settle-core", "io"));
    if (options.centrifuge() && options.sse()) {
      throw new IllegalArgumentException("--protocol centrifuge runs over WebSocket only");
    }
    if (!o.isEmpty()) {
      throw new IllegalArgumentException("unknown option --" + o.keySet().iterator().next());
    }
    return options;
  }

  private static boolean protocol(String name) {
    if (!name.equals("chat") && !name.equals("centrifuge")) {
      throw new IllegalArgumentException("--protocol is chat or centrifuge, not " + name);
    }
    return name.equals("centrifuge");
  }

  private static boolean transport(String name) {
    if (!name.equals("ws") && !name.equals("sse")) {
      throw new IllegalArgumentException("--transport is ws or sse, not " + name);
    }
    return name.equals("sse");
  }

  /**
   * A subscriber of {@code channel}: a chat WebSocket at {@code path}, with --transport sse an event stream
   * (same URL, http://), or with --protocol centrifuge a client of Centrifugo's protocol that connects
   * (anonymously) and subscribes to {@code channel}.
   */
  java.util.concurrent.CompletableFuture<BenchClient> subscriber(io.netty.channel.EventLoopGroup group, String path,
      String channel, String localAddress, RawWebSocket.Receiver receiver) {
    if (sse) {
      return RawSse.connect(group, at(path), localAddress, receiver);
    }
    if (centrifuge) {
      return RawWebSocket.connect(group, at("/connection/websocket"), localAddress, receiver)
          .thenApply(ws -> ws.speakCentrifuge(channel));
    }
    return RawWebSocket.connect(group, at(path), localAddress, receiver).thenApply(ws -> ws);
  }

  /** A WebSocket URI for a path below the base URL. */
  URI at(String path) {
    return url.resolve(path);
  }

  /**
   * Source address number i, spread over 127.0.0.1..n (each has its own ephemeral ports), or null with
   * {@code --source-addresses 0}: then connect() picks the port, which is much cheaper than bind() when
   * thousands of closed sockets sit in TIME_WAIT (the connect mode).
   */
  String sourceAddress(int i) {
    return sourceAddresses == 0 ? null : "127.0.0." + (1 + i % sourceAddresses);
  }
}
