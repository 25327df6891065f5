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

  /**
   * Channels Switchboard keeps for itself (control messages between hosts): no app, client or API may
   * subscribe or publish to them, whatever the characters say.
   */
  public static final String RESERVED_PREFIX = "$switchboard:";
  /** Where the server API's user-targeted commands (subscribe, unsubscribe, disconnect) reach every host. */
  public static final String PROTOCOL_CONTROL = RESERVED_PREFIX + "protocol";

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches() && !name.startsWith(RESERVED_PREFIX);
  }

  /** One of Switchboard's own channels ({@link #RESERVED_PREFIX}). */
  public static boolean isReserved(String name) {
    return name.startsWith(RESERVED_PREFIX);
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
