package switchboard.testapps;

import io.vertx.core.json.JsonObject;
import switchboard.app.App;
import switchboard.app.Connection;

/** Answers any message with what the connection knows about its request, as JSON. */
public class InfoApp implements App {

  @Override
  public void onOpen(Connection c) {
    c.attributes().put("opened-on", Thread.currentThread().getName());
  }

  @Override
  public void onMessage(Connection c, String text) {
    c.attributes().put("message-" + c.attributes().size(), text);
    c.write(new JsonObject()
        .put("id", c.id())
        .put("path", c.path())
        .put("pathInfo", c.pathInfo())
        .put("query", c.query())
        .put("header", c.headers().get("X-Test"))
        .put("headerNames", new io.vertx.core.json.JsonArray(c.headers().names().stream()
            .map(name -> name.toLowerCase(java.util.Locale.ROOT)).sorted().toList()))
        .put("remoteHost", c.remoteAddress().host())
        .put("openConnections", c.openConnections())
        .put("thread", Thread.currentThread().getName())
        .put("openedOn", c.attributes().get("opened-on"))
        .put("attributes", new io.vertx.core.json.JsonObject(new java.util.TreeMap<>(c.attributes())))
        .encode());
  }
}
