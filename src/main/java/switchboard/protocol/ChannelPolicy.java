package switchboard.protocol;

import switchboard.config.NamespaceOptions;
import switchboard.config.ProtocolSettings;
import switchboard.pubsub.Channels;

import java.util.Arrays;

/**
 * What a protocol client may do in a channel, by Centrifugo's rules: {@code ns:rest} takes the options of
 * namespace {@code ns} (an unconfigured namespace is an unknown channel, error 102), a name without
 * {@code :} takes the top-level options, and {@code name#42,43} (where the namespace allows user-limited
 * channels) may be subscribed by users 42 and 43 only. Each answer is a protocol error, or null when
 * allowed. Immutable, thread-safe.
 */
final class ChannelPolicy {

  private final ProtocolSettings settings;

  ChannelPolicy(ProtocolSettings settings) {
    this.settings = settings;
  }

  /** The channel's namespace options, or the error for a name no client may use. */
  Object lookup(String channel) {
    if (channel == null || channel.isEmpty() || channel.length() > settings.channelMaxLength() || !Channels.isValid(channel)) {
      return ProtocolError.BAD_REQUEST;
    }
    NamespaceOptions options = settings.optionsFor(channel);
    return options == null ? ProtocolError.UNKNOWN_CHANNEL : options;
  }

  /** Subscribing without a subscription token. */
  ProtocolError subscribe(NamespaceOptions options, String channel, String user) {
    if (options.allowUserLimitedChannels() && channel.contains("#")) {
      String users = channel.substring(channel.lastIndexOf('#') + 1);
      return !user.isEmpty() && Arrays.asList(users.split(",")).contains(user) ? null : ProtocolError.PERMISSION_DENIED;
    }
    boolean allowed = user.isEmpty() ? options.allowSubscribeForAnonymous() : options.allowSubscribeForClient();
    return allowed ? null : ProtocolError.PERMISSION_DENIED;
  }

  /** Publishing from a client, which may or may not be subscribed to the channel. */
  ProtocolError publish(NamespaceOptions options, String user, boolean subscribed) {
    if (user.isEmpty() && !options.allowPublishForAnonymous()) {
      return ProtocolError.PERMISSION_DENIED;
    }
    boolean allowed = options.allowPublishForClient() || (options.allowPublishForSubscriber() && subscribed);
    return allowed ? null : ProtocolError.PERMISSION_DENIED;
  }
}
