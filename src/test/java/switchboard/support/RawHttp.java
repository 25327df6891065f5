package switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as written over a plain socket and reads the answer: for requests that an HTTP
 * client would normalise (dot segments, encoded slashes) and for the seed's handshake bytes.
 */
public final class RawHttp {

  private RawHttp() {
  }

  /** Sends a request and returns everything the server answers until it closes or goes quiet. */
  /**
   * A WebSocket upgrade request to {@code host} for {@code path} with the RFC 6455 sample key, plus any
   * extra header lines (e.g. "Origin: http://evil.example"), ending with the blank line.
   */
  public static String upgradeRequest(String host, String path, String... extraHeaders) {
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: Upgrade\r\n"
        + "Upgrade: websocket\r\nSec-WebSocket-Key: SGVsbG8sIHdvcmxkIQ==\r\nSec-WebSocket-Version: 13\r\n");
    for (String header : extraHeaders) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  public static String exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(2000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return readResponse(socket.getInputStream());
    }
  }

  /** Reads one response: the head, then as many body bytes as Content-Length says (none for a 101). */
  public static String readResponse(InputStream in) throws IOException {
    String head = readHead(in, false);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** A GET with {@code Connection: close}; the path is sent byte for byte. */
  public static String get(int port, String rawPath) throws IOException {
    return exchange(port, "GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  /** Reads until EOF or timeout (whole=true), or until the end of the response head (whole=false). */
  public static String readHead(InputStream in, boolean whole) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
        if (!whole && out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          break;
        }
      }
    } catch (SocketTimeoutException quiet) {
      // the server keeps the connection open: what arrived is the answer
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      throw new AssertionError("not an HTTP response: " + response);
    }
    return Integer.parseInt(response.substring(9, 12));
  }
}
