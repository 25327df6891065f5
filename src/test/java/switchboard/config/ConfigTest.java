package switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertEquals(Map.of("/", "switchboard.chat.ChatRoom", "/stream", "switchboard.apps.Stream"), config.apps());
    assertEquals(10, config.shutdownGraceSeconds());
    assertEquals(Limits.defaults(), config.limits());
    assertTrue(config.fastPath());
  }

  @Test
  void theProtocolSectionIsCheckedAtStartupAndNeverEchoesASecret() {
    ConfigException shortSecret = fails("{\"protocol\": {\"token\": {\"hmacSecret\": \"short-one\"}}}");
    assertEquals("protocol.token.hmacSecret", shortSecret.key());
    assertFalse(shortSecret.getMessage().contains("short-one"), shortSecret.getMessage());
    ConfigException fromEnv = assertThrows(ConfigException.class, () -> read("{}", Map.of("SWITCHBOARD_API_KEY", "change-me-please-0123456789")));
    assertEquals("SWITCHBOARD_API_KEY (environment)", fromEnv.key());
    assertFalse(fromEnv.getMessage().contains("change-me"), fromEnv.getMessage());
    assertEquals("protocol.withoutNamespace.presence",
        fails("{\"protocol\": {\"withoutNamespace\": {\"presence\": true}}}").key(), "history and presence: not yet, said at startup");
    assertEquals("protocol.namespaces[0].allow_everything",
        fails("{\"protocol\": {\"namespaces\": [{\"name\": \"a\", \"allow_everything\": true}]}}").key());
    assertEquals("protocol.namespaces[1].name",
        fails("{\"protocol\": {\"namespaces\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}}").key(), "named twice");
    assertEquals("protocol.token.jwksPath", fails("{\"protocol\": {\"token\": {\"jwksPath\": \"/nope.json\"}}}").key());
    assertEquals("protocol.token.jwksUrl", fails("{\"protocol\": {\"token\": {\"jwksUrl\": \"ftp://x\"}}}").key());
    assertEquals("apps./connection/websocket",
        fails("{\"apps\": {\"/connection/websocket\": \"switchboard.chat.ChatRoom\"}}").key(), "the protocol's path is taken");
    ProtocolSettings fine = read("{\"protocol\": {\"apiKey\": \"0123456789abcdef0123\", \"namespaces\": [{\"name\": \"chat\", "
        + "\"allow_publish_for_subscriber\": true}]}}", Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", "fedcba9876543210fedcba")).protocol();
    assertEquals("fedcba9876543210fedcba", fine.hmacSecret(), "the environment gives the secret");
    assertTrue(fine.optionsFor("chat:room").allowPublishForSubscriber());
    assertNull(fine.optionsFor("other:room"), "an unconfigured namespace");
    assertEquals(NamespaceOptions.NONE.allowSubscribeForClient(), fine.optionsFor("plain").allowSubscribeForClient(), "safe default");
  }

  @Test
  void theFastPathCanBeTurnedOffAndNothingElseIsAccepted() {
    assertFalse(read("{\"transport\": {\"fastPath\": false}}", Map.of()).fastPath());
    assertEquals("config key 'transport.fastPath' = \"yes\": must be true or false",
        fails("{\"transport\": {\"fastPath\": \"yes\"}}").getMessage());
    assertEquals("transport.fast", fails("{\"transport\": {\"fast\": true}}").key());
  }

  @Test
  void batchedSendsAreOnByDefaultAndCanBeTurnedOff() {
    assertTrue(read("{}", Map.of()).ioUring());
    assertFalse(read("{\"transport\": {\"ioUring\": false}}", Map.of()).ioUring());
    assertEquals("config key 'transport.ioUring' = 1: must be true or false",
        fails("{\"transport\": {\"ioUring\": 1}}").getMessage());
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
  void mountPathsAreCheckedWhileParsingAndNoAppClassIsLoaded() {
    assertEquals("apps", fails("{\"apps\": {}}").key());
    assertEquals("apps.chat", fails("{\"apps\": {\"chat\": \"switchboard.chat.ChatRoom\"}}").key());
    assertEquals("apps./chat/", fails("{\"apps\": {\"/chat/\": \"switchboard.chat.ChatRoom\"}}").key());
    // classes load at deploy time (AppMountsTest, LauncherIT), possibly from appsPath: parsing does not need them
    assertEquals("no.Such", read("{\"apps\": {\"/\": \"no.Such\"}}", Map.of()).apps().get("/"));
  }

  @Test
  void appOptionsBelongToAMountedApp() {
    Config config = read("{\"appOptions\": {\"/stream\": {\"channels\": [\"news\"]}}}", Map.of());
    assertEquals("news", config.appOptions().get("/stream").getJsonArray("channels").getString(0));
    assertEquals("appOptions./nowhere", fails("{\"appOptions\": {\"/nowhere\": {}}}").key());
    assertEquals("appOptions./stream", fails("{\"appOptions\": {\"/stream\": 3}}").key());
  }

  @Test
  void theAppsPathNamesReadableJarsOrFolders() {
    assertEquals(List.of(), read("{}", Map.of()).appsPath());
    assertEquals(1, read("{\"appsPath\": \"src\"}", Map.of()).appsPath().size());
    assertEquals("appsPath", fails("{\"appsPath\": \"/no/such/apps.jar\"}").key());
    ConfigException env = assertThrows(ConfigException.class, () -> read("{}", Map.of("SWITCHBOARD_APPS_PATH", "pom.xml")));
    assertEquals("SWITCHBOARD_APPS_PATH (environment)", env.key());
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

  @Test
  void theShippedRedisConfigIsValidAndShipsNoToken() throws Exception {
    Config config = read(java.nio.file.Files.readString(java.nio.file.Path.of("conf/redis.json")), Map.of());
    assertEquals("redis://127.0.0.1:6379", config.redis().uri());
    assertNull(config.publishToken(), "no token in a shipped file: the publish API is off until one is set");
  }

  @Test
  void aPlaceholderTokenIsRefusedWithoutEchoingIt() {
    for (String placeholder : new String[] {"change-me-to-a-long-random-secret", "your-token-goes-here-please", "REPLACE_ME_0123456789"}) {
      ConfigException e = fails("{\"api\": {\"publishToken\": \"" + placeholder + "\"}}");
      assertEquals("api.publishToken", e.key());
      assertTrue(!e.getMessage().contains(placeholder) && e.getMessage().contains("placeholder"), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> read("{}", Map.of("SWITCHBOARD_PUBLISH_TOKEN", "changeme-changeme-changeme")));
    assertEquals("SWITCHBOARD_PUBLISH_TOKEN (environment)", e.key());
  }

  @Test
  void secretsAreNeverEchoedWhateverIsWrongWithThem() {
    ConfigException typed = fails("{\"api\": {\"publishToken\": 12345678901234567890}}");
    assertTrue(!typed.getMessage().contains("12345678901234567890") && typed.getMessage().contains("(hidden)"), typed.getMessage());
    ConfigException metrics = fails("{\"metrics\": {\"token\": [\"s3cr3t-s3cr3t-s3cr3t\"]}}");
    assertTrue(!metrics.getMessage().contains("s3cr3t"), metrics.getMessage());
    ConfigException unknown = fails("{\"redis\": {\"uri\": \"redis://db\", \"password\": \"hunter2-hunter2\"}}");
    assertEquals("redis.password", unknown.key());
    assertTrue(!unknown.getMessage().contains("hunter2"), unknown.getMessage());
  }

  @Test
  void theWriteBudgetMustHoldFourMaximumMessages() {
    ConfigException e = fails("{\"limits\": {\"writeQueueBytes\": 200000, \"maxMessageBytes\": 65536}}");
    assertEquals("limits.writeQueueBytes", e.key());
    assertTrue(e.getMessage().contains("limits.maxMessageBytes") && e.getMessage().contains("262144"), e.getMessage());
    assertEquals(262144, read("{\"limits\": {\"writeQueueBytes\": 262144}}", Map.of()).limits().writeQueueBytes());
  }

  @Test
  void thePublishByteBudgetHasABurstOfAtLeastOneMessage() {
    Limits defaults = Limits.defaults();
    assertEquals(256 * 1024, defaults.publishBytesPerSecond());
    assertEquals(512 * 1024, defaults.publishBurstBytes());
    assertEquals(60, defaults.httpIdleTimeoutSeconds());
    ConfigException e = fails("{\"limits\": {\"publishBurstBytes\": 1000}}");
    assertEquals("limits.publishBurstBytes", e.key());
    assertTrue(e.getMessage().contains("limits.maxMessageBytes"), e.getMessage());
  }

  @Test
  void theHostAndTheAllowedOriginsAreCheckedAtStartup() {
    for (String good : new String[] {"0.0.0.0", "127.0.0.1", "::", "::1", "localhost", "my-host.example.com"}) {
      assertEquals(good, read("{\"host\": \"" + good + "\"}", Map.of()).host());
    }
    for (String bad : new String[] {"256.1.1.1", "local host", "http://localhost", "1.2.3", ":::1", ""}) {
      assertEquals("host", fails("{\"host\": \"" + bad + "\"}").key(), bad);
    }
    read("{\"limits\": {\"allowedOrigins\": [\"*\", \"https://app.example\", \"http://localhost:8080\"]}}", Map.of());
    for (String bad : new String[] {"app.example", "https://app.example/", "https://app.example/path", "ftp://x", "https://"}) {
      assertEquals("limits.allowedOrigins", fails("{\"limits\": {\"allowedOrigins\": [\"" + bad + "\"]}}").key(), bad);
    }
  }

  @Test
  void redisTlsSettingsNeedARedissUriAndReadableFiles() {
    ConfigException plain = fails("{\"redis\": {\"uri\": \"redis://db\", \"tls\": {\"caPath\": \"pom.xml\"}}}");
    assertEquals("redis.tls.caPath", plain.key());
    assertTrue(plain.getMessage().contains("rediss://"), plain.getMessage());
    assertEquals("redis.tls.caPath", fails("{\"redis\": {\"uri\": \"rediss://db\", \"tls\": {\"caPath\": \"/no/such.pem\"}}}").key());
    assertEquals("redis.tls.keyPath", fails("{\"redis\": {\"uri\": \"rediss://db\", \"tls\": {\"certPath\": \"pom.xml\"}}}").key());
    RedisSettings ok = read("{\"redis\": {\"uri\": \"rediss://db\", \"tls\": {\"caPath\": \"pom.xml\"}}}", Map.of()).redis();
    assertEquals("pom.xml", ok.caPath());
  }

  @Test
  void tlsNeedsACertificateAndItsKeyAndHasItsOwnPort() {
    assertNull(read("{}", Map.of()).tls(), "no TLS listener unless a certificate is configured");
    TlsSettings tls = read("{\"tls\": {\"certPath\": \"pom.xml\", \"keyPath\": \"pom.xml\"}}", Map.of()).tls();
    assertEquals(TlsSettings.DEFAULT_PORT, tls.port());
    assertEquals(8443, read("{\"tls\": {\"certPath\": \"pom.xml\", \"keyPath\": \"pom.xml\"}}",
        Map.of("SWITCHBOARD_TLS_PORT", "8443")).tls().port());
    assertEquals("tls.keyPath", fails("{\"tls\": {\"certPath\": \"pom.xml\"}}").key());
    assertEquals("tls.certPath", fails("{\"tls\": {\"certPath\": \"/no/cert.pem\", \"keyPath\": \"pom.xml\"}}").key());
    assertEquals("tls.prot", fails("{\"tls\": {\"prot\": 1}}").key());
  }

}
