package switchboard.bench;

import java.util.BitSet;

/**
 * Which sequence numbers one subscriber received, and how many came twice or after a higher one.
 * Not thread-safe: each is used on one thread, or under the caller's lock.
 */
final class SequenceTally {

  private final BitSet seen = new BitSet();
  private long received;
  private long duplicates;
  private long reordered;
  private int highest = -1;

  /** Notes that {@code sequence} arrived; false when it had arrived before (a duplicate, counted). */
  boolean add(int sequence) {
    if (seen.get(sequence)) {
      duplicates++;
      return false;
    }
    seen.set(sequence);
    if (sequence < highest) {
      reordered++;
    }
    highest = Math.max(highest, sequence);
    received++;
    return true;
  }

  boolean has(int sequence) {
    return seen.get(sequence);
  }

  /** Distinct sequence numbers received. */
  long received() {
    return received;
  }

  long duplicates() {
    return duplicates;
  }

  /** Numbers that arrived after a higher one. */
  long reordered() {
    return reordered;
  }

  /** The highest number received, or -1. */
  int highest() {
    return highest;
  }

  /** Numbers in [from, to) that never arrived. */
  long missing(long from, long to) {
    return (to - from) - seen.get((int) from, (int) to).cardinality();
  }
}
