package switchboard.apps;

import io.vertx.core.buffer.Buffer;
import switchboard.app.App;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import switchboard.app.CloseCodes;
import switchboard.app.Configurable;

import java.util.regex.Pattern;
import switchboard.app.Connection;

/**
 * The second seed's push demo, built in: {@code GET /stream/<channel>} as Server-Sent Events, or
 * {@code ws://host/stream/<channel>}, receives every message of that channel as it is, whoever published
 * it (a client, {@code POST /api/publish/<channel>}, {@code redis-cli PUBLISH}). Stream clients only listen:
 * a WebSocket client that sends anything is closed with 1003.
 */
public class Stream implements App, Configurable {

  /** The channels a stream may read: null for all, else patterns where '*' stands for any characters. */
  private Pattern allowed;

  /**
   * {@code appOptions./stream.channels}: a list of channel names or patterns ({@code "prices.*"}); absent
   * means every channel.
   */
  @Override
  public void configure(JsonObject options) {
    Object channels = options.getValue("channels");
    options.remove("channels");
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("unknown option '" + options.fieldNames().iterator().next() + "' (the stream takes channels)");
    }
    if (channels == null) {
      return;
    }
    if (!(channels instanceof JsonArray list) || list.isEmpty() || !list.stream().allMatch(c -> c instanceof String)) {
      throw new IllegalArgumentException("channels must be a non-empty list of channel names or patterns such as \"prices.*\"");
    }
    StringBuilder regex = new StringBuilder();
    for (Object pattern : list) {
      regex.append(regex.length() == 0 ? "" : "|").append(Pattern.quote((String) pattern).replace("*", "\\E.*\\Q"));
    }
    allowed = Pattern.compile(regex.toString());
  }

  @Override
  public void onOpen(Connection connection) {
    String channel = connection.pathInfo().substring(1);
    if (allowed != null && !allowed.matcher(channel).matches()) {
      connection.close(CloseCodes.POLICY_VIOLATION, "this stream does not carry that channel");
      return;
    }
    try {
      connection.subscribe(channel);
    } catch (IllegalArgumentException invalidName) {
      connection.close(CloseCodes.POLICY_VIOLATION, invalidName.getMessage());
    }
  }

  @Override
  public void onMessage(Connection connection, String text) {
    connection.close(CloseCodes.UNSUPPORTED_DATA, "stream clients only listen; publish with POST /api/publish/<channel>");
  }

  @Override
  public void onMessage(Connection connection, Buffer binary) {
    connection.close(CloseCodes.UNSUPPORTED_DATA, "stream clients only listen; publish with POST /api/publish/<channel>");
  }
}
