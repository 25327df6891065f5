package switchboard.config;

/**
 * Every per-connection limit in one place (the {@code limits} config section). Each default states why.
 *
 * @param maxFrameBytes   largest single WebSocket frame a client may send; 64 KiB covers any chat line and
 *                        keeps a malicious frame from holding much memory (close 1009 above it)
 * @param maxMessageBytes largest message after reassembling fragments, and largest message anyone may
 *                        publish; 64 KiB by default for the same reason (close 1009 above it)
 * @param writeQueueBytes the one budget of bytes queued for one client that the kernel would not take yet:
 *                        deliveries, app writes, pongs, pings and close frames all count. It is judged after
 *                        a flush, so bytes merely waiting for the end of an event-loop pass do not count.
 *                        Past it the client is a slow consumer: 1008, no more reading from it, TCP cut 3 s
 *                        later. 1 MiB by default (sixteen maximum-size messages); at least 4 ×
 *                        {@code maxMessageBytes}, so a reader that keeps up is never cut by a burst
 * @param maxConnections  open connections on this server before upgrades get 503; 50,000 by default, a cap
 *                        to keep under the process's file-descriptor limit
 * @param maxConnectionsPerIp open connections from one address before upgrades get 429; 5,000 by default,
 *                        enough for a big office behind one NAT, far below what one abuser could open
 * @param maxChannelsPerConnection subscriptions one connection may hold; 128 by default
 * @param publishPerSecond messages one connection may publish per second on average (token bucket);
 *                        100 by default, far above human typing
 * @param publishBurst    how many it may publish at once above the average; 200 by default
 * @param publishBytesPerSecond payload bytes one connection may publish per second on average; 256 KiB by
 *                        default (four maximum-size messages a second), so one client cannot fill every
 *                        reader's budget faster than readers drain it
 * @param publishBurstBytes payload bytes it may publish at once above that average; 512 KiB (half the write
 *                        budget) by default; at least {@code maxMessageBytes}, or a large message could never go
 * @param httpIdleTimeoutSeconds a plain HTTP connection (keep-alive, an unfinished request) with no traffic
 *                        for this long is closed; 60 s by default. WebSockets are not affected: their heartbeat
 *                        finds dead peers
 * @param pingIntervalSeconds how often the server pings each connection; 30 s by default, under the idle
 *                        timeouts of common proxies and load balancers (60 s)
 * @param missedPongs     pings in a row without any answer before the connection is closed as dead; 2
 * @param allowedOrigins  browser Origins that may open a WebSocket; empty (the default) allows only the
 *                        page's own host (Origin host = Host header), ["*"] allows any. Clients that send
 *                        no Origin (not browsers) are not affected
 * @param handshakeTimeoutSeconds how long a new TCP connection may take to send its first request or
 *                        upgrade before it is dropped (slowloris); 10 s by default
 * @param maxHeaderBytes  request headers larger than this are refused (431); 8 KiB by default, as browsers
 *                        and proxies use
 * @param socketSendBufferBytes the kernel's send buffer per socket (SO_SNDBUF); 0 (the default) leaves it to
 *                        the kernel's autotuning, which may grow it to several MiB per slow reader (on Linux
 *                        up to net.ipv4.tcp_wmem's maximum) on top of {@code writeQueueBytes}; a fixed size
 *                        bounds kernel memory per connection and makes slow readers show sooner
 */
public record Limits(int maxFrameBytes, int maxMessageBytes, int writeQueueBytes, int maxConnections,
                     int maxConnectionsPerIp, int maxChannelsPerConnection, int publishPerSecond, int publishBurst,
                     int pingIntervalSeconds, int missedPongs, java.util.List<String> allowedOrigins,
                     int handshakeTimeoutSeconds, int maxHeaderBytes, int socketSendBufferBytes,
                     int publishBytesPerSecond, int publishBurstBytes, int httpIdleTimeoutSeconds) {

  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  public static final int DEFAULT_WRITE_QUEUE_BYTES = 1024 * 1024;
  private static final int HARD_MAX = 16 * 1024 * 1024;

  static Limits read(ConfigReader section) {
    int frame = section.integer("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES, 125, HARD_MAX);
    int message = section.integer("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES, 125, HARD_MAX);
    int queue = section.integer("writeQueueBytes", DEFAULT_WRITE_QUEUE_BYTES, 4096, 256 * 1024 * 1024);
    int connections = section.integer("maxConnections", 50_000, 1, 10_000_000);
    int perIp = section.integer("maxConnectionsPerIp", 5_000, 1, 10_000_000);
    int channels = section.integer("maxChannelsPerConnection", 128, 1, 100_000);
    int rate = section.integer("publishPerSecond", 100, 1, 1_000_000);
    int burst = section.integer("publishBurst", 200, 1, 10_000_000);
    int ping = section.integer("pingIntervalSeconds", 30, 1, 3600);
    int missed = section.integer("missedPongs", 2, 1, 100);
    java.util.List<String> origins = section.strings("allowedOrigins");
    int handshake = section.integer("handshakeTimeoutSeconds", 10, 1, 600);
    int headers = section.integer("maxHeaderBytes", 8192, 1024, 1024 * 1024);
    int sendBuffer = section.integer("socketSendBufferBytes", 0, 0, 64 * 1024 * 1024);
    int bytesRate = section.integer("publishBytesPerSecond", 256 * 1024, 1, Integer.MAX_VALUE);
    int bytesBurst = section.integer("publishBurstBytes", 512 * 1024, 1, Integer.MAX_VALUE);
    int httpIdle = section.integer("httpIdleTimeoutSeconds", 60, 1, 86_400);
    section.rejectUnknownKeys();
    for (String origin : origins) {
      checkOrigin(section.path("allowedOrigins"), origin);
    }
    if ((long) queue < 4L * message) {
      // a reader that keeps up must be able to hold a few whole messages the kernel has not taken yet
      throw new ConfigException(section.path("writeQueueBytes"), queue,
          "must be at least 4 x " + section.path("maxMessageBytes") + " (" + message + "), i.e. " + 4L * message);
    }
    if (bytesBurst < message) {
      throw new ConfigException(section.path("publishBurstBytes"), bytesBurst,
          "must be at least " + section.path("maxMessageBytes") + " (" + message + "), or a message that size could never be published");
    }
    return new Limits(frame, message, queue, connections, perIp, channels, rate, burst, ping, missed, origins,
        handshake, headers, sendBuffer, bytesRate, bytesBurst, httpIdle);
  }

  /** An allowed Origin is "*" or exactly what browsers send: scheme://host[:port], no path. */
  private static void checkOrigin(String key, String origin) {
    if (origin.equals("*")) {
      return;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(origin);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key, origin, "not an origin: " + e.getReason());
    }
    boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
        && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (!web || uri.getHost() == null || !bare) {
      throw new ConfigException(key, origin, "an origin is \"*\" or scheme://host[:port] as browsers send it, e.g. https://example.com");
    }
  }

  public static Limits defaults() {
    return read(new ConfigReader(null, "limits"));
  }
}
