package switchboard.transport;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class PackedHeadersTest {

  @Test
  void headersComeBackAsTheyWereInOrderAndCaseInsensitive() {
    MultiMap original = MultiMap.caseInsensitiveMultiMap()
        .add("Host", "example.com:3000")
        .add("Cookie", "a=1; b=2")
        .add("X-Url", "http://x.example/a:b")
        .add("Cookie", "c=3")
        .add("X-Empty", "")
        .add("User-Agent", "caf\u00e9/1.0"); // ISO-8859-1, as the HTTP parser hands it over
    PackedHeaders packed = new PackedHeaders(original);
    MultiMap back = packed.unpack();
    assertEquals(original.entries().toString(), back.entries().toString());
    assertEquals(List.of("a=1; b=2", "c=3"), back.getAll("cookie"));
    assertEquals("http://x.example/a:b", back.get("x-url"));
    assertEquals("", back.get("X-Empty"));
    assertNotSame(back, packed.unpack(), "each call gets its own copy");
  }

  @Test
  void theHandshakeOnlyHeadersAreNotKeptButTheSubprotocolIs() {
    MultiMap original = MultiMap.caseInsensitiveMultiMap()
        .add("Host", "example.com:3000")
        .add("Connection", "Upgrade")
        .add("UPGRADE", "websocket")
        .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .add("sec-websocket-version", "13")
        .add("Sec-WebSocket-Extensions", "permessage-deflate")
        .add("Sec-WebSocket-Protocol", "centrifuge-json")
        .add("Origin", "https://app.example");
    MultiMap back = new PackedHeaders(original).unpack();
    assertEquals(List.of("Host", "Sec-WebSocket-Protocol", "Origin"), back.entries().stream().map(java.util.Map.Entry::getKey).toList());
    assertEquals("centrifuge-json", back.get("sec-websocket-protocol"));
  }

  @Test
  void noHeadersIsAnEmptyMap() {
    assertEquals(0, new PackedHeaders(MultiMap.caseInsensitiveMultiMap()).unpack().size());
  }
}
