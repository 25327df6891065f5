package switchboard.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Percentiles read from the Prometheus histogram's buckets, per window, on the real registry. */
class LatencyWindowTest {

  private final Meters meters = new Meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

  private void deliveredAfter(double millis, int times) {
    for (int i = 0; i < times; i++) {
      meters.delivered(System.nanoTime() - (long) (millis * 1e6), 1);
    }
  }

  @Test
  void percentilesAreWithinABucketOfTheTruthAndEachWindowStandsAlone() {
    LatencyWindow window = meters.latencyWindow();
    assertArrayEquals(new double[] {0, 0}, window.next(0.5, 0.99), "nothing delivered yet");

    deliveredAfter(2, 98);
    deliveredAfter(40, 2);
    double[] first = window.next(0.5, 0.99);
    // Micrometer's buckets grow by at most ~1/3: the answer lies within the bucket around the truth
    assertTrue(first[0] > 1.5 && first[0] < 2.8, "p50 of 98 x 2 ms and 2 x 40 ms: " + first[0]);
    assertTrue(first[1] > 30 && first[1] < 54, "p99: " + first[1]);

    deliveredAfter(100, 10);
    double[] second = window.next(0.5, 0.99);
    assertTrue(second[0] > 75 && second[0] < 135, "only the new window counts: " + second[0]);

    assertArrayEquals(new double[] {0, 0}, window.next(0.5, 0.99), "an idle second reads as 0");
  }

  @Test
  void readersDoNotShareWindows() {
    LatencyWindow a = meters.latencyWindow();
    LatencyWindow b = meters.latencyWindow();
    deliveredAfter(5, 10);
    assertEquals(a.next(0.5)[0], b.next(0.5)[0], 1e-9);
    assertEquals(0, a.next(0.5)[0]);
  }
}
