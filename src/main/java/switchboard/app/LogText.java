package switchboard.app;

/**
 * Makes client-supplied text safe for a log line: control characters (newlines included) are escaped so
 * a client cannot forge log lines, and long text is cut.
 */
public final class LogText {

  private static final int MAX = 80;

  private LogText() {
  }

  public static String safe(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 8);
    int i = 0;
    for (; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (i < text.length()) {
      out.append('…');
    }
    return out.toString();
  }
}
