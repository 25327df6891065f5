package switchboard.app;

import org.junit.jupiter.api.Test;
import switchboard.config.ConfigException;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppMountsTest {

  public static class A implements App {
  }

  public static class B implements App {
  }

  @Test
  void theLongestPrefixOnASegmentBoundaryWins() {
    Map<String, String> apps = new LinkedHashMap<>();
    apps.put("/", A.class.getName());
    apps.put("/echo", B.class.getName());
    AppMounts mounts = AppMounts.instantiate(apps);
    assertEquals("/echo", mounts.find("/echo").prefix());
    assertEquals("/echo", mounts.find("/echo/deeper").prefix());
    assertEquals("/", mounts.find("/echoes").prefix());
    assertEquals("/", mounts.find("/alice").prefix());
  }

  @Test
  void pathInfoIsThePathBelowTheMount() {
    AppMounts mounts = AppMounts.instantiate(Map.of("/", A.class.getName(), "/room", B.class.getName()));
    assertEquals("/alice", mounts.find("/alice").pathInfo("/alice"));
    assertEquals("/bob", mounts.find("/room/bob").pathInfo("/room/bob"));
    assertEquals("/", mounts.find("/room").pathInfo("/room"));
  }

  @Test
  void withoutARootMountOtherPathsFindNothing() {
    AppMounts mounts = AppMounts.instantiate(Map.of("/only", A.class.getName()));
    assertNull(mounts.find("/other"));
  }

  public static class NoDefaultConstructor implements App {
    public NoDefaultConstructor(String ignored) {
    }
  }

  @Test
  void appClassesAreCheckedWhenLoadedNamingTheKey() {
    ClassLoader own = AppMounts.class.getClassLoader();
    ConfigException missing = assertThrows(ConfigException.class, () -> AppMounts.validate(Map.of("/", "no.Such"), own));
    assertEquals("apps./", missing.key());
    assertTrue(missing.getMessage().contains("no such class"));
    assertTrue(assertThrows(ConfigException.class, () -> AppMounts.validate(Map.of("/x", "java.lang.Object"), own))
        .getMessage().contains("does not implement"));
    assertTrue(assertThrows(ConfigException.class, () -> AppMounts.validate(Map.of("/", NoDefaultConstructor.class.getName()), own))
        .getMessage().contains("public no-argument constructor"));
  }

  @Test
  void eachInstantiationMakesItsOwnAppObjects() {
    Map<String, String> apps = Map.of("/", A.class.getName());
    assertEquals(false, AppMounts.instantiate(apps).find("/").app() == AppMounts.instantiate(apps).find("/").app());
  }
}
