package switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench pingflood}: one client sends 125-byte pings nonstop and never reads, as an attacker would,
 * for {@code --seconds}. Reports whether and when the server cut it, what it sent, and with
 * {@code --server-pid} the server's RSS growth meanwhile (sampled every 100 ms; the peak counts).
 */
final class PingFlood {

  private static final int PINGS_PER_WRITE = 200;

  private PingFlood() {
  }

  static Report run(BenchOptions o) throws Exception {
    long rssBefore = o.serverPid() > 0 ? ProcessStats.rssKib(o.serverPid()) : 0;
    long[] peak = {rssBefore};
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted() && o.serverPid() > 0) {
        peak[0] = Math.max(peak[0], ProcessStats.rssKib(o.serverPid()));
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(o.seconds());
    long sent = 0;
    boolean cut = false;
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096); // a small window: the server's pongs back up at once
      socket.connect(new InetSocketAddress(o.url().getHost(), o.url().getPort()));
      upgrade(socket, o.url().getHost() + ":" + o.url().getPort());
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 100);
          socket.close(); // a write blocked by a server that stopped reading ends with the run
        } catch (InterruptedException | IOException ignored) {
          // the flood ended first
        }
      });
      watchdog.setDaemon(true);
      watchdog.start();
      OutputStream out = socket.getOutputStream();
      byte[] batch = pings();
      while (System.nanoTime() < deadline) {
        try {
          out.write(batch);
          sent += batch.length;
        } catch (IOException e) {
          cut = System.nanoTime() < deadline;
          break;
        }
      }
      watchdog.interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    sampler.interrupt();
    Report report = new Report().put("mode", "pingflood").put("label", o.label()).put("cut", cut)
        .put(cut ? "cut_after_s" : "flooded_s", seconds).put("ping_bytes_sent", sent);
    if (o.serverPid() > 0) {
      report.put("server_rss_before_mib", rssBefore / 1024.0).put("server_rss_peak_mib", peak[0] / 1024.0)
          .put("server_rss_growth_mib", (peak[0] - rssBefore) / 1024.0);
    }
    return report;
  }

  private static void upgrade(Socket socket, String host) throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    socket.getOutputStream().write(("GET /pingflood HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed during the upgrade");
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
    }
  }

  /** Masked 125-byte pings (a zero mask key: the payload goes as it is). */
  private static byte[] pings() {
    byte[] frame = new byte[2 + 4 + 125];
    frame[0] = (byte) 0x89;
    frame[1] = (byte) (0x80 | 125);
    byte[] all = new byte[frame.length * PINGS_PER_WRITE];
    for (int i = 0; i < PINGS_PER_WRITE; i++) {
      System.arraycopy(frame, 0, all, i * frame.length, frame.length);
    }
    return all;
  }
}
