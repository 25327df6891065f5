package switchboard.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny RESP2 client over a plain socket: an outside publisher or watcher, like redis-cli, sharing no code
 * with Switchboard's own Redis client.
 */
public final class RawRedis implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawRedis(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawRedis connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    return new RawRedis(socket);
  }

  /** Sends a command; returns a simple reply line ("+PONG", ":2") or a bulk string's text. */
  public String command(Object... args) throws IOException {
    send(args);
    return String.valueOf(read());
  }

  /** PUBLISH, returning how many subscribers got it. */
  public long publish(String channel, byte[] payload) throws IOException {
    send("PUBLISH", channel, payload);
    return Long.parseLong(((String) read()).substring(1));
  }

  /** PUBSUB NUMSUB for one channel: how many subscriber connections Redis has for it. */
  public String numsub(String channel) throws IOException {
    send("PUBSUB", "NUMSUB", channel);
    List<?> reply = (List<?>) read();
    return String.valueOf(reply.get(1)).substring(1);
  }

  /** SUBSCRIBE; then {@link #nextMessage()} returns each message's payload. */
  public void subscribe(String channel) throws IOException {
    send("SUBSCRIBE", channel);
    read(); // the subscribe confirmation
  }

  /** The payload of the next pushed message (blocks up to 10 s). */
  public byte[] nextMessage() throws IOException {
    while (true) {
      Object reply = read();
      if (reply instanceof List<?> parts && parts.size() == 3 && "message".equals(text(parts.get(0)))) {
        return (byte[]) parts.get(2);
      }
    }
  }

  private static String text(Object bulk) {
    return bulk instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(bulk);
  }

  private void send(Object... args) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (Object arg : args) {
      byte[] bytes = arg instanceof byte[] b ? b : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
      buf.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.write(bytes);
      buf.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(buf.toByteArray());
    out.flush();
  }

  /** Reads one reply: a String for +/-/: lines, byte[] for bulk strings, a List for arrays. */
  private Object read() throws IOException {
    String line = line();
    switch (line.charAt(0)) {
      case '$' -> {
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length);
        line();
        return bytes;
      }
      case '*' -> {
        int count = Integer.parseInt(line.substring(1));
        List<Object> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          parts.add(read());
        }
        return parts;
      }
      default -> {
        return line;
      }
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (b != '\r') {
        buf.write(b);
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
