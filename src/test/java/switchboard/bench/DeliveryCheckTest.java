package switchboard.bench;

import io.netty.buffer.Unpooled;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One subscriber's check across the warm-up and the measured window: warm-up messages take the whole path,
 * then are forgotten; one that arrives late, after measuring started, is told apart by its send time.
 */
class DeliveryCheckTest {

  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final AtomicInteger deliveries = new AtomicInteger();
  private final DeliveryCheck check = new DeliveryCheck(latency, deliveries::incrementAndGet);

  private void receive(long sequence, long sentAt) {
    check.received(Unpooled.wrappedBuffer(("bench: " + new String(Payloads.encode(sequence, sentAt, 64))).getBytes()),
        sentAt + 1_000);
  }

  @Test
  void theWarmUpTakesTheWholePathAndIsForgotten() {
    long warmUpStart = System.nanoTime();
    receive(0, warmUpStart);
    receive(1, warmUpStart + 1);
    receive(1, warmUpStart + 1);
    assertEquals(2, check.received());
    assertEquals(1, check.duplicates());
    assertEquals(2, deliveries.get(), "warm-up deliveries reach the caller, so the closed loop runs in the warm-up too");
    assertEquals(2, latency.getTotalCount());

    check.startMeasuring();
    assertEquals(0, check.received());
    assertEquals(0, check.duplicates());
    receive(2, warmUpStart + 2); // a warm-up message still in flight
    assertEquals(0, check.received(), "sent before measuring started: not counted");
    assertEquals(2, deliveries.get());

    long measuredStart = System.nanoTime();
    receive(0, measuredStart);
    receive(1, measuredStart + 1);
    assertEquals(2, check.received(), "the window numbers from 0 again, and nothing is a duplicate");
    assertEquals(0, check.duplicates());
    assertEquals(0, check.reordered());
    assertEquals(0, check.lost(2));
    assertEquals(1, check.lost(3));
  }
}
