package switchboard.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free port (never 6379), for one test class. Uses {@code redis-server}
 * from the PATH when there is one, else the static Redis 7.0.15 binary inside org.signal:embedded-redis.
 * Stopped, killed, frozen and resumed by PID, like an operator or a crash would.
 */
public final class RedisServer implements AutoCloseable {

  public final int port;
  private Process process;
  private final java.util.List<String> extraArgs;

  private RedisServer(int port, java.util.List<String> extraArgs) {
    this.port = port;
    this.extraArgs = extraArgs;
  }

  private RedisServer(int port) {
    this(port, java.util.List.of());
  }

  /**
   * Starts Redis with extra command-line settings (e.g. {@code --tls-port}); the plain port stays open on
   * loopback for the test's own admin connection.
   */
  public static RedisServer startWith(String... extraArgs) throws IOException, InterruptedException {
    RedisServer redis = new RedisServer(freePort(), java.util.List.of(extraArgs));
    redis.restart();
    return redis;
  }

  /** A free TCP port on loopback, for a second listener such as Redis's TLS port. */
  public static int anotherFreePort() throws IOException {
    return freePort();
  }

  /** Starts Redis on a free port and waits until it answers PING. */
  public static RedisServer start() throws IOException, InterruptedException {
    RedisServer redis = new RedisServer(freePort());
    redis.restart();
    return redis;
  }

  /** A Redis that is not running yet, on a port reserved for it: {@link #restart()} starts it. */
  public static RedisServer notStarted() throws IOException {
    return new RedisServer(freePort());
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** Starts the server (again) on the same port. */
  public void restart() throws IOException, InterruptedException {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(binary().toString(), "--port",
        String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no",
        "--loglevel", "warning"));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port);
      }
      try (RawRedis probe = RawRedis.connect(port)) {
        if (probe.command("PING").equals("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException("redis-server did not answer PING within 10 s on port " + port);
  }

  /** Waits until Redis has {@code count} subscribers on a channel (SUBSCRIBE is asynchronous). */
  public void awaitSubscribers(String channel, int count) throws Exception {
    try (RawRedis admin = RawRedis.connect(port)) {
      Eventually.await(count + " subscribers on " + channel, 5, () -> admin.numsub(channel).equals(String.valueOf(count)));
    }
  }

  /** SIGKILL by PID: a crash, with no goodbye to clients. */
  public void kill() throws InterruptedException {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the process freezes, its sockets stay open and silent (like a half-open link). */
  public void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy(); // SIGTERM by PID
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path binaryPath;

  /** The redis-server binary the tests use (PATH, else the embedded one), for servers started elsewhere. */
  public static Path binaryPath() throws IOException {
    return binary();
  }

  static synchronized Path binary() throws IOException {
    if (binaryPath != null) {
      return binaryPath;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return binaryPath = candidate;
      }
    }
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
    String resource = "/redis-server-7.0.15-linux-" + arch;
    try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server: install it (apt-get install redis-server) or keep "
            + "org.signal:embedded-redis on the test classpath (it has " + resource + ")");
      }
      Path file = Files.createTempFile("redis-server-", "");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      file.toFile().setExecutable(true);
      file.toFile().deleteOnExit();
      return binaryPath = file;
    }
  }
}
