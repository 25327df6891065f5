package switchboard.config;

/**
 * Every per-connection limit in one place (the {@code limits} config section). Each default states why.
 *
 * @param maxFrameBytes   largest single WebSocket frame a client may send; 64 KiB covers any chat line and
 *                        keeps a malicious frame from holding much memory (close 1009 above it)
 * @param maxMessageBytes largest message after reassembling fragments, and largest message anyone may
 *                        publish; 64 KiB by default for the same reason (close 1009 above it)
 * @param writeQueueBytes bytes queued for one client that it has not read yet; past this it is a slow
 *                        consumer and is closed with 1008, so one stalled reader cannot grow the heap.
 *                        1 MiB by default: sixteen maximum-size messages, or thousands of chat lines
 * @param maxConnections  open connections on this server before upgrades get 503; 50,000 by default, a cap
 *                        to keep under the process's file-descriptor limit
 * @param maxConnectionsPerIp open connections from one address before upgrades get 429; 5,000 by default,
 *                        enough for a big office behind one NAT, far below what one abuser could open
 * @param maxChannelsPerConnection subscriptions one connection may hold; 128 by default
 * @param publishPerSecond messages one connection may publish per second on average (token bucket);
 *                        100 by default, far above human typing
 * @param publishBurst    how many it may publish at once above the average; 200 by default
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
                     int handshakeTimeoutSeconds, int maxHeaderBytes, int socketSendBufferBytes) {

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
    section.rejectUnknownKeys();
    return new Limits(frame, message, queue, connections, perIp, channels, rate, burst, ping, missed, origins,
        handshake, headers, sendBuffer);
  }

  public static Limits defaults() {
    return read(new ConfigReader(null, "limits"));
  }
}
