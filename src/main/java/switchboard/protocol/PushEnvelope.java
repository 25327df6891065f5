package switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import switchboard.app.Envelope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A published message as Centrifugo's client protocol pushes it: {@code {"push":{"channel":…,"pub":{"data":…}}}}.
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
  public String wrap(String channel, ByteBuffer payload, boolean text) {
    StringBuilder push = new StringBuilder(payload.remaining() + channel.length() + 40);
    push.append("{\"push\":{\"channel\":\"");
    JsonStringEncoder.getInstance().quoteAsString(channel, push);
    push.append("\",\"pub\":{\"data\":");
    appendData(push, payload, text);
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
