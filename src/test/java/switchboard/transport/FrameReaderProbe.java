package switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import java.util.ArrayList;
import java.util.List;

/** Opens the package-private frame reader to the fuzz targets. */
public final class FrameReaderProbe {

  private final ClientFrameReader reader = new ClientFrameReader();
  private final int limit;
  private final List<String> frames = new ArrayList<>();

  public FrameReaderProbe(int limit) {
    this.limit = limit;
  }

  /** Reads {@code in} (released): 0, or the close code of the rule it broke. */
  public int read(ByteBuf in) {
    try {
      reader.read(UnpooledByteBufAllocator.DEFAULT, in, limit, (opcode, fin, payload) ->
          frames.add(opcode + " " + payload.readableBytes()));
      return 0;
    } catch (CorruptedWebSocketFrameException e) {
      return e.closeStatus().code();
    }
  }

  /** The frames read so far, as "opcode length". */
  public List<String> frames() {
    return frames;
  }

  public void release() {
    reader.release();
  }
}
