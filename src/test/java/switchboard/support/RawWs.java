package switchboard.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket client that sends any frame at all, valid or not (RFC 6455 §5.2 laid out by hand), and reads
 * the server's frames raw: for conformance and bad-input tests, where a real client would refuse.
 */
public final class RawWs implements AutoCloseable {

  /** A frame the server sent. */
  public record Frame(int opcode, boolean fin, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, 1005 when it has none. */
    public int closeCode() {
      return payload.length >= 2 ? (payload[0] & 0xff) << 8 | (payload[1] & 0xff) : 1005;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWs(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects and upgrades; extra header lines (e.g. "Origin: http://evil.example") are sent as given. */
  public static RawWs connect(int port, String path, String... headers) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    socket.getOutputStream().write(RawHttp.upgradeRequest("127.0.0.1:" + port, path, headers).getBytes(StandardCharsets.ISO_8859_1));
    RawWs ws = new RawWs(socket);
    String head = RawHttp.readHead(ws.in, false);
    assertTrue(head.startsWith("HTTP/1.1 101"), "upgrade refused: " + head);
    return ws;
  }

  /** Sends one masked frame: first byte as given (FIN, RSV, opcode), payload masked as clients must. */
  public RawWs frame(int firstByte, byte[] payload) throws IOException {
    return frame(firstByte, payload, true, payload.length);
  }

  /** Sends one frame with full control: mask or not, and the length the header claims. */
  public RawWs frame(int firstByte, byte[] payload, boolean mask, long claimedLength) throws IOException {
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    frame.write(firstByte);
    int maskBit = mask ? 0x80 : 0;
    if (claimedLength < 126) {
      frame.write(maskBit | (int) claimedLength);
    } else if (claimedLength <= 0xFFFF) {
      frame.write(maskBit | 126);
      frame.write((int) (claimedLength >> 8));
      frame.write((int) claimedLength);
    } else {
      frame.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (claimedLength >> shift));
      }
    }
    byte[] key = new byte[4];
    ThreadLocalRandom.current().nextBytes(key);
    if (mask) {
      frame.write(key);
    }
    for (int i = 0; i < payload.length; i++) {
      frame.write(mask ? payload[i] ^ key[i & 3] : payload[i]);
    }
    out.write(frame.toByteArray());
    out.flush();
    return this;
  }

  public RawWs text(String text) throws IOException {
    return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Raw bytes as they are (a frame cut in the middle, garbage). */
  public RawWs bytes(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
    return this;
  }

  /** The next frame from the server, or null when the connection ended or went quiet for 5 s. */
  public Frame next() throws IOException {
    try {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
    } catch (java.io.EOFException | SocketTimeoutException | java.net.SocketException ended) {
      return null;
    }
  }

  /** Skips data frames until the close frame and returns its code; -1 if the connection ended without one. */
  public int closeCode() throws IOException {
    for (Frame f; (f = next()) != null; ) {
      if (f.opcode() == 8) {
        return f.closeCode();
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
