package switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

  private static Config read(String json, Map<String, String> env) {
    return Config.from(new JsonObject(json), env);
  }

  private static ConfigException fails(String json) {
    return assertThrows(ConfigException.class, () -> read(json, Map.of()));
  }

  @Test
  void anEmptyConfigGivesTheDocumentedDefaults() {
    Config config = read("{}", Map.of());
    assertEquals("0.0.0.0", config.host());
    assertEquals(3000, config.port());
    assertEquals(0, config.instances());
    assertEquals(Runtime.getRuntime().availableProcessors(), config.effectiveInstances());
    assertNull(config.webRoot());
    assertEquals(Map.of("/", "switchboard.chat.ChatRoom"), config.apps());
    assertEquals(10, config.shutdownGraceSeconds());
    assertEquals(Limits.defaults(), config.limits());
  }

  @Test
  void theShippedConfigFileIsValid() throws Exception {
    Config config = read(java.nio.file.Files.readString(java.nio.file.Path.of("conf/config.json")), Map.of());
    assertEquals(3000, config.port());
  }

  @Test
  void environmentVariablesOverrideTheFile() {
    Config config = read("{\"port\": 4000, \"instances\": 2}", Map.of("SWITCHBOARD_PORT", "5000", "SWITCHBOARD_INSTANCES", "7"));
    assertEquals(5000, config.port());
    assertEquals(7, config.effectiveInstances());
  }

  @Test
  void aBlankEnvironmentVariableIsIgnored() {
    assertEquals(4000, read("{\"port\": 4000}", Map.of("SWITCHBOARD_PORT", " ")).port());
  }

  @Test
  void everyErrorNamesTheKeyAndTheValue() {
    assertEquals("config key 'instance' = 4: unknown key", fails("{\"instance\": 4}").getMessage());
    assertEquals("config key 'port' = 1.5: must be a whole number", fails("{\"port\": 1.5}").getMessage());
    assertEquals("config key 'port' = -1: must be between 0 and 65535", fails("{\"port\": -1}").getMessage());
    assertEquals("config key 'host' = 12: must be a string", fails("{\"host\": 12}").getMessage());
    assertEquals("config key 'limits' = 5: must be a JSON object", fails("{\"limits\": 5}").getMessage());
    assertEquals("limits.maxMessageBytes", fails("{\"limits\": {\"maxMessageBytes\": 1}}").key());
    assertEquals("limits.socketSendBufferBytes", fails("{\"limits\": {\"socketSendBufferBytes\": -1}}").key());
    assertEquals("shutdownGraceSeconds", fails("{\"shutdownGraceSeconds\": 0}").key());
  }

  @Test
  void appsAreCheckedAtStartup() {
    assertEquals("apps", fails("{\"apps\": {}}").key());
    assertEquals("apps.chat", fails("{\"apps\": {\"chat\": \"switchboard.chat.ChatRoom\"}}").key());
    assertEquals("apps./chat/", fails("{\"apps\": {\"/chat/\": \"switchboard.chat.ChatRoom\"}}").key());
    assertTrue(fails("{\"apps\": {\"/\": \"no.Such\"}}").getMessage().contains("no such class"));
    assertTrue(fails("{\"apps\": {\"/\": \"java.lang.Object\"}}").getMessage().contains("does not implement"));
    assertTrue(fails("{\"apps\": {\"/\": \"switchboard.config.ConfigTest$NoDefaultConstructor\"}}").getMessage()
        .contains("public no-argument constructor"));
  }

  @Test
  void badEnvironmentValuesNameTheVariable() {
    ConfigException e = assertThrows(ConfigException.class, () -> read("{}", Map.of("SWITCHBOARD_INSTANCES", "many")));
    assertEquals("SWITCHBOARD_INSTANCES (environment)", e.key());
    e = assertThrows(ConfigException.class, () -> read("{}", Map.of("SWITCHBOARD_PORT", "99999")));
    assertTrue(e.getMessage().contains("must be between 0 and 65535"));
  }

  @Test
  void redisIsOffUnlessAUriIsGiven() {
    assertNull(read("{}", Map.of()).redis());
    assertNull(read("{\"redis\": {\"uri\": \"\"}}", Map.of()).redis());
    RedisSettings redis = read("{\"redis\": {\"uri\": \"redis://:s3cret@db:6380/2\", \"prefix\": \"app1:\"}}", Map.of()).redis();
    assertEquals("app1:", redis.prefix());
    assertEquals("redis://:****@db:6380/2", redis.maskedUri(), "the password never reaches a log");
    assertEquals("redis://localhost:7000", read("{}", Map.of("SWITCHBOARD_REDIS_URI", "redis://localhost:7000")).redis().uri());
  }

  @Test
  void badRedisSettingsNameTheKey() {
    assertEquals("redis.uri", fails("{\"redis\": {\"uri\": \"http://db:6379\"}}").key());
    assertEquals("redis.uri", fails("{\"redis\": {\"uri\": \"redis://\"}}").key());
    assertEquals("redis.prefix", fails("{\"redis\": {\"uri\": \"redis://db\", \"prefix\": \"a b\"}}").key());
    assertEquals("redis.url", fails("{\"redis\": {\"url\": \"redis://db\"}}").key());
    ConfigException e = assertThrows(ConfigException.class, () -> read("{}", Map.of("SWITCHBOARD_REDIS_URI", "redis://:pw@")));
    assertEquals("SWITCHBOARD_REDIS_URI (environment)", e.key());
    assertTrue(!e.getMessage().contains(":pw@"), "the password is masked in the error too");
  }

  @Test
  void thePublishTokenComesFromTheFileOrTheEnvironmentAndIsNeverEchoed() {
    assertNull(read("{}", Map.of()).publishToken());
    assertEquals("0123456789abcdef", read("{\"api\": {\"publishToken\": \"0123456789abcdef\"}}", Map.of()).publishToken());
    assertEquals("from-the-environment", read("{\"api\": {\"publishToken\": \"0123456789abcdef\"}}",
        Map.of("SWITCHBOARD_PUBLISH_TOKEN", "from-the-environment")).publishToken());
    ConfigException e = fails("{\"api\": {\"publishToken\": \"short\"}}");
    assertEquals("api.publishToken", e.key());
    assertTrue(!e.getMessage().contains("short"), e.getMessage());
  }

  public static class NoDefaultConstructor implements switchboard.app.App {
    public NoDefaultConstructor(String ignored) {
    }
  }
}
