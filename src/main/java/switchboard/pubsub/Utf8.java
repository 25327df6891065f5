package switchboard.pubsub;

/**
 * Streaming UTF-8 validation (RFC 3629, the WHATWG decoder's byte ranges): rejects overlong forms,
 * surrogates and code points above U+10FFFF at the first bad byte, and carries its state across chunks,
 * so a message can be checked fragment by fragment as it arrives. Not thread-safe; one per message.
 */
public final class Utf8 {

  private int needed;
  private int lower = 0x80;
  private int upper = 0xBF;

  /** Feeds bytes; false at the first byte that cannot be part of valid UTF-8. */
  public boolean accept(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!accept(bytes[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private boolean accept(int b) {
    if (needed == 0) {
      if (b < 0x80) {
        return true;
      } else if (b >= 0xC2 && b <= 0xDF) {
        expect(1, 0x80, 0xBF);
      } else if (b == 0xE0) {
        expect(2, 0xA0, 0xBF);           // no overlong 3-byte forms
      } else if (b == 0xED) {
        expect(2, 0x80, 0x9F);           // no surrogates
      } else if (b >= 0xE1 && b <= 0xEF) {
        expect(2, 0x80, 0xBF);
      } else if (b == 0xF0) {
        expect(3, 0x90, 0xBF);           // no overlong 4-byte forms
      } else if (b >= 0xF1 && b <= 0xF3) {
        expect(3, 0x80, 0xBF);
      } else if (b == 0xF4) {
        expect(3, 0x80, 0x8F);           // nothing above U+10FFFF
      } else {
        return false;
      }
      return true;
    }
    if (b < lower || b > upper) {
      return false;
    }
    lower = 0x80;
    upper = 0xBF;
    needed--;
    return true;
  }

  private void expect(int continuationBytes, int low, int high) {
    needed = continuationBytes;
    lower = low;
    upper = high;
  }

  /** True when everything fed so far ends on a character boundary. */
  public boolean complete() {
    return needed == 0;
  }

  /** Whole-array check. */
  public static boolean isValid(byte[] bytes) {
    Utf8 utf8 = new Utf8();
    return utf8.accept(bytes, 0, bytes.length) && utf8.complete();
  }
}
