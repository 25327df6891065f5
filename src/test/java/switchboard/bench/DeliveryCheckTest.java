package switchboard.bench;

import io.netty.buffer.Unpooled;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One subscriber's check over a continuous run: the messages stamped inside the window are measured, and
 * the ones before it (the warm-up) and after it take the same path into a tally of their own.
 */
class DeliveryCheckTest {

  private final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final Histogram outside = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final AtomicInteger deliveries = new AtomicInteger();
  private final DeliveryCheck check = new DeliveryCheck(latency, outside, deliveries::incrementAndGet);

  private void receive(long sequence, long sentAt) {
    byte[] frame = ("bench: " + new String(Payloads.encode(sequence, sentAt, 64))).getBytes();
    // the payload is a range of a bigger read buffer, with another frame's bytes after it
    check.received(Unpooled.wrappedBuffer(frame, "#1 2 ".getBytes()), 0, frame.length, sentAt + 1_000);
  }

  @Test
  void untilAWindowIsSetNothingIsMeasured() {
    receive(0, 5);
    receive(1, 6);
    receive(1, 6);
    assertEquals(0, check.received());
    assertEquals(0, check.duplicates());
    assertEquals(3, deliveries.get(), "every delivery reaches the caller, so the closed loop runs in the warm-up too");
    assertEquals(2, outside.getTotalCount(), "the warm-up takes the whole path, the latency histogram included");
    assertEquals(0, latency.getTotalCount());
  }

  @Test
  void onlyMessagesStampedInsideTheWindowAreMeasured() {
    check.measure(100, 200);
    receive(0, 98);
    receive(1, 99); // the warm-up's last
    receive(2, 100); // the window's first
    receive(3, 150);
    receive(3, 150);
    receive(5, 199); // the window's last
    receive(4, 180); // after a higher number
    receive(6, 200); // after the window
    assertEquals(4, check.received());
    assertEquals(1, check.duplicates());
    assertEquals(1, check.reordered());
    assertEquals(4, latency.getTotalCount());
    assertEquals(3, outside.getTotalCount());
    assertEquals(8, deliveries.get());
    assertEquals(0, check.lost(2, 6), "the window's messages are numbers 2 to 5, and all came");
    assertEquals(1, check.lost(2, 7), "number 6 came, but stamped after the window: not one of its own");
  }

  @Test
  void aWarmUpDuplicateIsNotAWindowDuplicate() {
    receive(0, 10);
    check.measure(100, 200);
    receive(0, 10); // the warm-up's number 0 again, still outside
    receive(1, 100);
    assertEquals(1, check.received());
    assertEquals(0, check.duplicates());
  }
}
