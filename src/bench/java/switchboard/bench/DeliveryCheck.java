package switchboard.bench;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

import java.util.BitSet;

/**
 * One subscriber's view of a run: which sequence numbers arrived, how late, twice or out of order.
 * Latency is measured from the publisher's intended send time (open loop), so a stalled server cannot
 * hide its delay by slowing the publisher down. Used on one event loop: no locks.
 * <p>Warm-up messages take the same path (parsed, checked and timed, then forgotten at
 * {@link #startMeasuring}), so that the measured window does not begin with this tool's own code still
 * cold. They look like measured ones, down to the number of digits, because the JIT compiles for what it
 * saw; a warm-up message still in flight when measuring starts is told apart by its send time.
 */
final class DeliveryCheck implements RawWebSocket.Receiver {

  private final Histogram latency;
  private final BitSet seen = new BitSet();
  private final Runnable onDelivery;
  private long received;
  private long duplicates;
  private long reordered;
  private long highest = -1;
  /** Messages stamped before this belong to the warm-up. */
  private long since = Long.MIN_VALUE;

  DeliveryCheck(Histogram latency, Runnable onDelivery) {
    this.latency = latency;
    this.onDelivery = onDelivery;
  }

  /** Forgets the warm-up: from now on only messages stamped after this call count. */
  void startMeasuring() {
    since = System.nanoTime();
    seen.clear();
    received = 0;
    duplicates = 0;
    reordered = 0;
    highest = -1;
  }

  @Override
  public void received(ByteBuf payload, long now) {
    int at = Payloads.start(payload);
    if (at < 0) {
      return;
    }
    long sequence = Payloads.number(payload, at);
    long sentAt = Payloads.number(payload, Payloads.after(payload, at));
    if (sequence < 0 || sentAt < 0 || sequence > Integer.MAX_VALUE || sentAt < since) {
      return; // malformed, or a warm-up message that came after measuring started
    }
    if (seen.get((int) sequence)) {
      duplicates++;
      return;
    }
    seen.set((int) sequence);
    if (sequence < highest) {
      reordered++;
    }
    highest = Math.max(highest, sequence);
    received++;
    latency.recordValue(Math.max(0, now - sentAt));
    onDelivery.run();
  }

  long received() {
    return received;
  }

  long duplicates() {
    return duplicates;
  }

  long reordered() {
    return reordered;
  }

  /** Messages of sequence below {@code sent} that never arrived. */
  long lost(long sent) {
    return sent - seen.get(0, (int) Math.min(sent, Integer.MAX_VALUE)).cardinality();
  }
}
