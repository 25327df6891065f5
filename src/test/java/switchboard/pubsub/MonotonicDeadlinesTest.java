package switchboard.pubsub;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Redis bridge's deadlines (a PUBLISH unanswered, the canary late, the listener peaks' window, the
 * outage length) run on System.nanoTime: a wall-clock step (NTP, a VM resumed) must neither fake a lost link
 * nor hide one. A wall-clock jump cannot be made inside a test without moving the machine's clock, so this
 * guards the source instead: the wall clock is read only for {@code since}, the time shown to people.
 */
class MonotonicDeadlinesTest {

  @Test
  void theRedisBridgeReadsTheWallClockOnlyForTheTimeItShowsPeople() throws IOException {
    for (String file : List.of("RedisLink.java", "RedisBroker.java", "ListenerPeaks.java", "OversizeDrops.java")) {
      List<String> uses = Files.readAllLines(Path.of("src/main/java/switchboard/pubsub", file)).stream()
          .filter(line -> line.contains("currentTimeMillis"))
          .filter(line -> !line.trim().startsWith("since = System.currentTimeMillis()")
              && !line.trim().startsWith("private long since = System.currentTimeMillis()"))
          .toList();
      assertEquals(List.of(), uses, file + " must time its deadlines with System.nanoTime");
    }
  }
}
