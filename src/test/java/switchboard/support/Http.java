package switchboard.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a test server with the JDK client (no Vert.x in between). */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Http() {
  }

  public static HttpResponse<String> post(int port, String path, String token, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with optional headers (name, value, name, value ...). */
  public static HttpResponse<String> get(int port, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static JsonObject health(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body());
  }

  /** Waits until every host's /health reports its Redis link connected. */
  public static void awaitRedisConnected(switchboard.support.TestServer... hosts) throws Exception {
    for (TestServer host : hosts) {
      Eventually.await("host on port " + host.port + " connects to Redis", 10, () -> "connected".equals(redisState(host.port)));
    }
  }

  /** The Redis link state reported by /health ("connected", "reconnecting"), or null without Redis. */
  public static String redisState(int port) throws IOException, InterruptedException {
    return health(port).getJsonObject("broker").getString("state");
  }
}
