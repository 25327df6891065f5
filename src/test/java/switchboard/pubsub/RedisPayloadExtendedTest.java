package switchboard.pubsub;

import org.junit.jupiter.api.Test;
import switchboard.app.Published;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages that are more than a plain publication survive Redis whole; plain ones stay raw. */
class RedisPayloadExtendedTest {

  @Test
  void aPublisherAndAnAnnouncementTravelBehindTheExtendedMark() {
    Message published = Message.text("c", "{\"a\":1}").from("{\"user\":\"u\"}");
    Message back = RedisPayload.decode("c", RedisPayload.encode(published));
    assertEquals(Published.Kind.PUBLICATION, back.kind());
    assertEquals("{\"user\":\"u\"}", back.publisher());
    assertEquals("{\"a\":1}", back.textValue());
    assertTrue(back.isText());

    Message binary = RedisPayload.decode("c", RedisPayload.encode(Message.binary("c", new byte[] {1, 2, (byte) 0xFF}).from("{}")));
    assertEquals(false, binary.isText());
    assertArrayEquals(new byte[] {1, 2, (byte) 0xFF}, bytes(binary));

    Message leave = RedisPayload.decode("c", RedisPayload.encode(Message.announcement("c", Published.Kind.LEAVE, "{\"user\":\"v\"}")));
    assertEquals(Published.Kind.LEAVE, leave.kind());
    assertNull(leave.publisher());
    assertEquals("{\"user\":\"v\"}", leave.textValue());
  }

  @Test
  void plainPublicationsStayRawAndABrokenHeaderIsTakenAsRawBytes() {
    assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), RedisPayload.encode(Message.text("c", "hi")));
    byte[] broken = {(byte) 0xFF, 'S', 'B', 1, 9, 1, 0, 0, 0, 0};
    Message raw = RedisPayload.decode("c", broken);
    assertEquals(Published.Kind.PUBLICATION, raw.kind(), "kind 9 does not exist: the bytes are a binary payload");
    assertArrayEquals(broken, bytes(raw));
  }

  private static byte[] bytes(Message message) {
    byte[] out = new byte[message.size()];
    message.payload().get(out);
    return out;
  }
}
