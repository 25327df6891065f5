package switchboard.app;

import io.vertx.core.json.JsonObject;

/**
 * An {@link App} that takes options from the config: {@code appOptions.<mount>} (a JSON object; empty when
 * absent). Called once per instance, right after construction, before any connection. Throw
 * {@link IllegalArgumentException} for options it cannot run with: startup stops with exit 78 naming the key.
 */
public interface Configurable {

  void configure(JsonObject options);
}
