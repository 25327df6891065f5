package switchboard.transport;

import io.vertx.core.buffer.Buffer;
import io.netty.buffer.ByteBuf;

/** Opens the package-private message assembler to the fuzz targets. */
public final class AssemblerProbe {

  private final MessageAssembler assembler;

  public AssemblerProbe(int limit) {
    assembler = new MessageAssembler(limit);
  }

  /** One data frame by its parts, as the frame handlers pass them. */
  public String add(boolean continuation, boolean text, boolean finalFragment, ByteBuf payload) {
    return assembler.add(continuation, text, finalFragment, payload).name();
  }

  public Buffer binary() {
    return assembler.binary();
  }
}
