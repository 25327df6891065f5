package switchboard.server;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A glob for channel names, as the server API's {@code channels} takes it (Centrifugo uses gobwas/glob):
 * {@code *} any run of characters, {@code ?} one character, {@code [abc]}, {@code [a-z]}, {@code [!abc]},
 * {@code {a,b}} alternatives, and {@code \} to take the next character literally. Immutable.
 */
final class ChannelPattern {

  private final Pattern regex;

  private ChannelPattern(Pattern regex) {
    this.regex = regex;
  }

  /** The pattern, or an IllegalArgumentException naming what is wrong with it. */
  static ChannelPattern of(String glob) {
    StringBuilder out = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> out.append(".*");
        case '?' -> out.append('.');
        case '\\' -> {
          if (++i == glob.length()) {
            throw new IllegalArgumentException("a pattern may not end with \\");
          }
          out.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("[ without ]");
          }
          String set = glob.substring(i + 1, end);
          boolean negated = set.startsWith("!");
          out.append('[').append(negated ? "^" : "")
              .append((negated ? set.substring(1) : set).replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&"))
              .append(']');
          i = end;
        }
        case '{' -> {
          braces++;
          out.append("(?:");
        }
        case '}' -> {
          if (braces-- == 0) {
            throw new IllegalArgumentException("} without {");
          }
          out.append(')');
        }
        case ',' -> out.append(braces > 0 ? "|" : ",");
        default -> out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces != 0) {
      throw new IllegalArgumentException("{ without }");
    }
    try {
      return new ChannelPattern(Pattern.compile(out.toString(), Pattern.DOTALL));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a valid pattern");
    }
  }

  boolean matches(String channel) {
    return regex.matcher(channel).matches();
  }
}
