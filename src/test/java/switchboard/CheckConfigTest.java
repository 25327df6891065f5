package switchboard;

import io.vertx.core.json.JsonObject;
import switchboard.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class CheckConfigTest {

  @Test
  void theEffectiveConfigShowsDefaultsAndOverridesAndHidesSecrets() {
    Config config = Config.from(new JsonObject("{\"port\": 4000, \"redis\": {\"uri\": \"redis://:pw@db:6379\"},"
        + "\"api\": {\"publishToken\": \"secret-secret-secret\"}}"), Map.of("SWITCHBOARD_INSTANCES", "3"));
    JsonObject effective = CheckConfig.effective(config);
    assertEquals(4000, effective.getInteger("port"));
    assertEquals(3, effective.getInteger("instances"), "the environment wins");
    assertEquals(65536, effective.getJsonObject("limits").getInteger("maxFrameBytes"), "defaults are shown");
    assertEquals("redis://:****@db:6379", effective.getJsonObject("redis").getString("uri"));
    assertEquals("(set, hidden)", effective.getJsonObject("api").getString("publishToken"));
    assertFalse(effective.encode().contains("secret-secret") || effective.encode().contains(":pw@"));
  }
}
