package switchboard.bench;

import java.util.concurrent.CompletableFuture;

/** A subscriber the load generator holds open: a WebSocket ({@link RawWebSocket}) or an event stream ({@link RawSse}). */
interface BenchClient {

  /** Completes with the close code (1006 when the connection just ended) once it is closed. */
  CompletableFuture<Integer> closed();

  void close();
}
