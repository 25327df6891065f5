package switchboard.config;

/**
 * What the client protocol lets clients do in the channels of one namespace ({@code ns:channel}), or in
 * channels without one. The keys keep Centrifugo's names, so a namespace from a Centrifugo config pastes in
 * unchanged. Every permission is off by default: a client may subscribe only with a subscription token,
 * and may publish nowhere, unless a namespace says otherwise.
 *
 * <p>{@code join_leave} with {@code force_push_join_leave} pushes a join when a client subscribes and a
 * leave when it unsubscribes or goes, to every protocol subscriber of the channel. Without the force, a
 * client must ask and hold presence permission, as in Centrifugo, which comes with presence.
 *
 * <p>History and presence come with a later version: {@code presence},
 * {@code history_size}/{@code history_ttl} and {@code force_recovery} are refused at startup rather than
 * accepted and ignored; {@code presence}, {@code presence_stats} and {@code history} answer error 108 (not
 * available) meanwhile.
 *
 * @param name                        the namespace ({@code ""} for channels without one)
 * @param allowSubscribeForClient     an authenticated client may subscribe without a subscription token
 * @param allowSubscribeForAnonymous  an anonymous client (empty {@code sub}) may too
 * @param allowPublishForSubscriber   a client subscribed to the channel may publish to it
 * @param allowPublishForClient       any authenticated client may publish to it
 * @param allowPublishForAnonymous    anonymous clients may publish (with one of the two above)
 * @param allowUserLimitedChannels    {@code name#42,43} channels: only the listed users may subscribe
 * @param joinLeave                   joins and leaves are announced
 * @param forcePushJoinLeave          and pushed to every subscriber, without asking
 */
public record NamespaceOptions(String name, boolean allowSubscribeForClient, boolean allowSubscribeForAnonymous,
                               boolean allowPublishForSubscriber, boolean allowPublishForClient,
                               boolean allowPublishForAnonymous, boolean allowUserLimitedChannels,
                               boolean joinLeave, boolean forcePushJoinLeave) {

  /** Nothing allowed: the options of a channel nobody configured. */
  public static final NamespaceOptions NONE = new NamespaceOptions("", false, false, false, false, false, false, false, false);

  private static final String[] LATER = {"presence", "history_size", "history_ttl",
      "force_recovery", "force_positioning", "allow_recovery", "allow_presence_for_subscriber",
      "allow_presence_for_client", "allow_history_for_subscriber", "allow_history_for_client"};

  /** Whether every subscriber of the channel gets join and leave pushes. */
  public boolean pushesJoinLeave() {
    return joinLeave && forcePushJoinLeave;
  }

  static NamespaceOptions read(ConfigReader section, String name) {
    for (String key : LATER) {
      Object value = section.raw(key);
      if (value != null && !Boolean.FALSE.equals(value) && !Integer.valueOf(0).equals(value) && !"".equals(value)) {
        throw new ConfigException(section.path(key), value,
            "history and presence are not in this version of Switchboard yet; leave it out (presence, presence_stats "
                + "and history answer 108, not available)");
      }
    }
    NamespaceOptions options = new NamespaceOptions(name,
        section.bool("allow_subscribe_for_client", false),
        section.bool("allow_subscribe_for_anonymous", false),
        section.bool("allow_publish_for_subscriber", false),
        section.bool("allow_publish_for_client", false),
        section.bool("allow_publish_for_anonymous", false),
        section.bool("allow_user_limited_channels", false),
        section.bool("join_leave", false),
        section.bool("force_push_join_leave", false));
    section.rejectUnknownKeys();
    return options;
  }
}
