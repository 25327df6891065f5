package switchboard.transport;

import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Opens the package-private message assembler to the fuzz targets. */
public final class AssemblerProbe {

  private final MessageAssembler assembler;

  public AssemblerProbe(int limit) {
    assembler = new MessageAssembler(limit);
  }

  public String add(WebSocketFrame frame) {
    return assembler.add(frame).name();
  }

  public Buffer binary() {
    return assembler.binary();
  }
}
