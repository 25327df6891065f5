package switchboard.transport;

import io.vertx.core.MultiMap;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The upgrade request's headers kept for the life of a connection as one byte array ("name: value\n" per
 * header, ISO-8859-1 as on the wire) and unpacked into a fresh {@link MultiMap} when asked. Vert.x's
 * header map costs about 0.9 KiB per connection in entry and string objects (heap histogram at 15,000
 * idle connections); the packed form is the header bytes plus 16. Apps read headers rarely, mostly in
 * onOpen.
 */
final class PackedHeaders {

  private final byte[] packed;

  PackedHeaders(MultiMap headers) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> header : headers) {
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
