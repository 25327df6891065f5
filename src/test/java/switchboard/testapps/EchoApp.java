package switchboard.testapps;

import io.vertx.core.buffer.Buffer;
import switchboard.app.App;
import switchboard.app.Connection;

/** Sends every message back as it came: text as text, binary as binary (for conformance tests). */
public class EchoApp implements App {

  @Override
  public void onMessage(Connection c, String text) {
    c.write(text);
  }

  @Override
  public void onMessage(Connection c, Buffer binary) {
    c.write(binary);
  }
}
