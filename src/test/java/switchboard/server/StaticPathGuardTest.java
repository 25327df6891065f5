package switchboard.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class StaticPathGuardTest {

  @Test
  void ordinaryPathsPass() {
    for (String path : new String[] {"/", "/index.html", "/a/b.c", "/caf%C3%A9.txt", "/a..b", "/.well-known/x"}) {
      assertNull(StaticPathGuard.problem(path), path);
    }
  }

  @Test
  void escapesFromTheRootAreRefused() {
    for (String path : new String[] {"/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2e/x", "/./x", "/a/%2e", "/..%2fx",
        "/x%2Fy", "/..\\x", "/%5cx", "/x%00", "/%c0%ae%c0%ae/x", "/%", "relative", "/.."}) {
      assertNotNull(StaticPathGuard.problem(path), path);
    }
  }
}
