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

  /** Where the sequence number starts (after the '#'), or -1 for messages not from the benchmark. */
  static int start(ByteBuf payload) {
    int hash = payload.indexOf(payload.readerIndex(), payload.writerIndex(), (byte) '#');
    return hash < 0 ? -1 : hash + 1;
  }

  /** The decimal number at {@code index}, up to the next space; -1 when malformed. */
  static long number(ByteBuf payload, int index) {
    long value = 0;
    for (int i = index; i < payload.writerIndex(); i++) {
      byte b = payload.getByte(i);
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

  /** Index just past the space that ends the number at {@code index}. */
  static int after(ByteBuf payload, int index) {
    return payload.indexOf(index, payload.writerIndex(), (byte) ' ') + 1;
  }
}
