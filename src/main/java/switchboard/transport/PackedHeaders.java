package switchboard.transport;

import io.vertx.core.MultiMap;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The upgrade request's headers kept for the life of a connection as one byte array ("name: value\n" per
 * header, ISO-8859-1 as on the wire) and unpacked into a fresh {@link MultiMap} when asked. Vert.x's
 * header map costs about 0.9 KiB per connection in entry and string objects (heap histogram at 15,000
 * idle connections); the packed form is the header bytes plus 16. Apps read headers rarely, mostly in
 * onOpen.
 * <p>
 * The headers that only carried the handshake itself ({@link #HANDSHAKE_ONLY}) are not kept: they say
 * nothing about the client once the connection is open, and a WebSocket's key alone is 44 bytes of the
 * about 110 they took per connection.
 */
final class PackedHeaders {

  /**
   * Hop-by-hop and handshake headers, lower case: how the connection was opened, not who opened it. The
   * subprotocol ({@code Sec-WebSocket-Protocol}) stays; apps choose by it.
   */
  static final Set<String> HANDSHAKE_ONLY = Set.of("connection", "upgrade", "sec-websocket-key",
      "sec-websocket-version", "sec-websocket-extensions");

  private final byte[] packed;

  PackedHeaders(MultiMap headers) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> header : headers) {
      if (HANDSHAKE_ONLY.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      // a header value cannot hold a line break (the HTTP parser refuses or folds it), so '\n' separates
      text.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
    }
    this.packed = text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A new case-insensitive map of the headers, in their order. */
  MultiMap unpack() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String text = new String(packed, StandardCharsets.ISO_8859_1);
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
      int colon = text.indexOf(": ", start);
      headers.add(text.substring(start, colon), text.substring(colon + 2, end));
    }
    return headers;
  }
}
