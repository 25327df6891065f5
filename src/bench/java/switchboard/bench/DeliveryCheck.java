package switchboard.bench;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;

import java.util.BitSet;

/**
 * One subscriber's view of a run: which sequence numbers arrived, how late, twice or out of order.
 * Latency is measured from the publisher's intended send time (open loop), so a stalled server cannot
 * hide its delay by slowing the publisher down. Used on one event loop: no locks.
 */
final class DeliveryCheck implements RawWebSocket.Receiver {

  private final Histogram latency;
  private final BitSet seen = new BitSet();
  private final Runnable onDelivery;
  private long received;
  private long duplicates;
  private long reordered;
  private long highest = -1;
  private boolean measuring;

  DeliveryCheck(Histogram latency, Runnable onDelivery) {
    this.latency = latency;
    this.onDelivery = onDelivery;
  }

  /** Warm-up messages (sent before this) are ignored. */
  void startMeasuring() {
    measuring = true;
  }

  @Override
  public void received(ByteBuf payload, long now) {
    int at = measuring ? Payloads.start(payload) : -1;
    if (at < 0) {
      return;
    }
    long sequence = Payloads.number(payload, at);
    long sentAt = Payloads.number(payload, Payloads.after(payload, at));
    if (sequence < 0 || sentAt < 0 || sequence > Integer.MAX_VALUE) {
      return;
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
