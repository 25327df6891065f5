package switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import switchboard.app.Envelope;
import switchboard.app.Published;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message as Centrifugo's client protocol pushes it: {@code {"push":{"channel":…,"pub":{"data":…,"info":…}}}},
 * where {@code info} is the publishing client's ClientInfo when a protocol client published it, and
 * {@code {"push":{"channel":…,"join"|"leave":{"info":…}}}} for a client that subscribed or left.
 * {@code data} is the payload itself when it is one JSON value (the protocol embeds JSON raw), a JSON
 * string of it otherwise (plain chat lines, {@code redis-cli PUBLISH} text), and a JSON string of its
 * base64 for binary payloads (JSON cannot carry bytes). Built once per message and shared by every protocol
 * client of an instance. Stateless, thread-safe.
 */
public final class PushEnvelope implements Envelope {

  public static final PushEnvelope INSTANCE = new PushEnvelope();
  private static final JsonFactory JSON = new JsonFactory();

  private PushEnvelope() {
  }

  @Override
  public String name() {
    return "centrifuge-json";
  }

  @Override
  public String wrap(Published message) {
    ByteBuffer payload = message.payload();
    String publisher = message.publisher();
    StringBuilder push = new StringBuilder(payload.remaining() + message.channel().length() + 40
        + (publisher == null ? 0 : publisher.length() + 8));
    push.append("{\"push\":{\"channel\":\"");
    JsonStringEncoder.getInstance().quoteAsString(message.channel(), push);
    switch (message.kind()) {
      case PUBLICATION -> {
        push.append("\",\"pub\":{\"data\":");
        appendData(push, payload, message.isText());
        if (publisher != null) {
          push.append(",\"info\":").append(publisher);
        }
      }
      // the payload of an announcement is the ClientInfo object itself
      case JOIN -> push.append("\",\"join\":{\"info\":").append(StandardCharsets.UTF_8.decode(payload));
      case LEAVE -> push.append("\",\"leave\":{\"info\":").append(StandardCharsets.UTF_8.decode(payload));
    }
    return push.append("}}}").toString();
  }

  /** A publication's {@code data}: the JSON value as is, or a JSON string (base64 for binary). */
  static void appendData(StringBuilder out, ByteBuffer payload, boolean text) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    if (!text) {
      out.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
      return;
    }
    String value = new String(bytes, StandardCharsets.UTF_8);
    if (isJson(bytes)) {
      out.append(value.strip());
    } else {
      out.append('"');
      JsonStringEncoder.getInstance().quoteAsString(value, out);
      out.append('"');
    }
  }

  /** Whether {@code bytes} hold exactly one JSON value (whitespace around it allowed). */
  static boolean isJson(byte[] bytes) {
    try (JsonParser parser = JSON.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
