package switchboard.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark's message body: {@code #<sequence> <intended send time in ns> <padding>}, padded to the
 * requested size. Parsed in place from the receive buffer; anything before the '#' (the chat's
 * {@code "nickname: "}) is skipped, so the same parser reads chat lines and raw Redis payloads.
 */
final class Payloads {

  private Payloads() {
  }

  static byte[] encode(long sequence, long intendedNanos, int size) {
    String head = "#" + sequence + " " + intendedNanos + " ";
    byte[] bytes = Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), Math.max(size, head.length()));
    Arrays.fill(bytes, head.length(), bytes.length, (byte) 'x');
    return bytes;
  }

  /** Where the sequence number starts (after the '#') in buffer[from, to), or -1 for messages not from the benchmark. */
  static int start(ByteBuf buffer, int from, int to) {
    int hash = buffer.indexOf(from, to, (byte) '#');
    return hash < 0 ? -1 : hash + 1;
  }

  /** The decimal number at {@code index}, up to the next space before {@code to}; -1 when malformed. */
  static long number(ByteBuf buffer, int index, int to) {
    long value = 0;
    for (int i = index; i < to; i++) {
      byte b = buffer.getByte(i);
      if (b == ' ') {
        return i == index ? -1 : value;
      }
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
    }
    return -1;
  }

  /**
   * Index just past the space that ends the number at {@code index}, or {@code to} when there is none (where
   * {@link #number} finds nothing): never outside the payload, which is a range of a bigger read buffer.
   */
  static int after(ByteBuf buffer, int index, int to) {
    int space = buffer.indexOf(index, to, (byte) ' ');
    return space < 0 ? to : space + 1;
  }
}
