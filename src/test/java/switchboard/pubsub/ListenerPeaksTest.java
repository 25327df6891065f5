package switchboard.pubsub;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenerPeaksTest {

  @Test
  void fewerReceiversThanTheRecentPeakIsAPartialDelivery() {
    ListenerPeaks peaks = new ListenerPeaks();
    assertTrue(peaks.full("chat", 2, 1_000));
    assertTrue(peaks.full("chat", 2, 1_100));
    assertFalse(peaks.full("chat", 1, 1_200), "one of two hosts missing");
    assertTrue(peaks.full("chat", 3, 1_300), "more listeners is fine");
    assertTrue(peaks.full("other", 0, 1_300), "channels are independent");
  }

  @Test
  void aLowerCountBecomesTheNewNormalAfterTheWindow() {
    ListenerPeaks peaks = new ListenerPeaks();
    peaks.full("chat", 2, 0);
    assertFalse(peaks.full("chat", 1, ListenerPeaks.WINDOW_MS));
    assertTrue(peaks.full("chat", 1, ListenerPeaks.WINDOW_MS + 1), "a host that left for good stops counting");
  }

  @Test
  void timeWhileTheLinkWasDownDoesNotAgeThePeak() {
    ListenerPeaks peaks = new ListenerPeaks();
    peaks.full("chat", 2, 0);
    peaks.linkRestored(60_000); // a one-minute outage
    assertFalse(peaks.full("chat", 1, 60_500), "right after the outage the other host may still be reconnecting");
  }

  @Test
  void oldChannelsAreForgotten() {
    ListenerPeaks peaks = new ListenerPeaks();
    peaks.full("chat", 5, 0);
    peaks.expire(ListenerPeaks.WINDOW_MS + 1);
    assertTrue(peaks.full("chat", 1, ListenerPeaks.WINDOW_MS + 2));
  }
}
