package switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Vert.x WebSocket client that records every text message and the close code. It holds its
 * {@link WebSocketClient} in a field: Vert.x 5 closes a client that is garbage-collected.
 */
public final class WsClient implements AutoCloseable {

  public static final int WAIT_SECONDS = 10;

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closeCode = new CompletableFuture<>();
  private volatile String closeReason;
  private volatile boolean answerProtocolPings;

  private WsClient(Vertx vertx) {
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    ws = client.webSocket();
    ws.textMessageHandler(text -> {
      if (answerProtocolPings && "{}".equals(text)) {
        ws.writeTextMessage("{}");
      } else {
        texts.add(text);
      }
    });
    ws.binaryMessageHandler(b -> binaries.add(b.getBytes()));
    ws.closeHandler(v -> {
      closeReason = ws.closeReason();
      closeCode.complete(ws.closeStatusCode());
    });
  }

  public static WsClient connect(Vertx vertx, int port, String uri) throws Exception {
    return connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri));
  }

  public static WsClient connect(Vertx vertx, WebSocketConnectOptions options) throws Exception {
    WsClient c = new WsClient(vertx);
    c.ws.connect(options).await(WAIT_SECONDS, TimeUnit.SECONDS);
    return c;
  }

  /** From now on answers the client protocol's pings ({@code {}}) as they come, as an SDK does, and hides them. */
  public WsClient answerProtocolPings() {
    answerProtocolPings = true;
    return this;
  }

  public void send(String text) throws Exception {
    ws.writeTextMessage(text).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code text} unless the server closed the connection first: false then. For a flood the server is
   * expected to cut off part way, where whether the cut lands before the last send is a race.
   */
  public boolean sendUnlessClosed(String text) throws Exception {
    if (closeCode.isDone()) {
      return false;
    }
    try {
      send(text);
      return true;
    } catch (Exception writeFailed) {
      try {
        closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS); // the write failed because the close had come in
        return false;
      } catch (java.util.concurrent.TimeoutException notClosed) {
        throw writeFailed;
      }
    }
  }

  public void sendBinary(byte[] bytes) throws Exception {
    ws.writeBinaryMessage(Buffer.buffer(bytes)).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The next text message, failing the test when none arrives in time. */
  public String next() throws InterruptedException {
    String text = texts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (text == null) {
      fail("no message within " + WAIT_SECONDS + " s");
    }
    return text;
  }

  /** The next binary message, failing the test when none arrives in time. */
  public byte[] nextBinary() throws InterruptedException {
    byte[] bytes = binaries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (bytes == null) {
      fail("no binary message within " + WAIT_SECONDS + " s");
    }
    return bytes;
  }

  public List<String> next(int count) throws InterruptedException {
    List<String> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(next());
    }
    return result;
  }

  /** Asserts that the next message is {@code expected}. */
  public void expect(String expected) throws InterruptedException {
    assertEquals(expected, next());
  }

  /**
   * The close code the server sent, answering every {@code {}} (the client protocol's ping) meanwhile, as an
   * SDK does, so that the close tested is not a missed pong.
   */
  public short awaitCloseAnsweringPings() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!closeCode.isDone() && System.nanoTime() < deadline) {
      String text = texts.poll(50, TimeUnit.MILLISECONDS);
      if ("{}".equals(text)) {
        ws.writeTextMessage("{}");
      }
    }
    return awaitClose();
  }

  /** The close code the server sent, waiting for the close. */
  public short awaitClose() throws Exception {
    return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  public String closeReason() {
    return closeReason;
  }

  /** Messages received and not yet taken. */
  public List<String> pending() {
    List<String> rest = new ArrayList<>();
    texts.drainTo(rest);
    return rest;
  }

  @Override
  public void close() throws Exception {
    if (!closeCode.isDone()) {
      ws.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    client.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
