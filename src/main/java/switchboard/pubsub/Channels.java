package switchboard.pubsub;

import java.util.regex.Pattern;

/**
 * Channel names and where they live. A name is 1–255 characters from {@code A-Z a-z 0-9 _ . : - # , @ = + $ ! ~}:
 * wide enough for Centrifugo's conventions ({@code ns:name}, user-limited {@code dialog#42,43}, {@code $private})
 * yet safe in logs and event-bus addresses, and never a Redis glob pattern ({@code * ? [ ]} stay out).
 */
public final class Channels {

  public static final int MAX_LENGTH = 255;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:#,@=+$!~-]{1," + MAX_LENGTH + "}");
  private static final String ADDRESS_PREFIX = "switchboard.channel.";
  /** What a client is told about a bad name. */
  public static final String INVALID_NAME = "invalid channel name: use 1-" + MAX_LENGTH + " characters from A-Z a-z 0-9 _ . : - # , @ = + $ ! ~";

  private Channels() {
  }

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  /** Throws IllegalArgumentException with a message fit for the client when the name is not valid. */
  public static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(INVALID_NAME);
    }
    return name;
  }

  /** The event-bus address of a channel; internal, never exposed to clients. */
  static String address(String channel) {
    return ADDRESS_PREFIX + channel;
  }
}
