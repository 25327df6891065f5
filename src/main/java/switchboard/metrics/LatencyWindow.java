package switchboard.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import java.util.concurrent.TimeUnit;

/**
 * Percentiles of a timer over the time since the previous reading, from its histogram buckets, the way
 * Prometheus's {@code histogram_quantile} computes them: find the bucket that holds the rank, interpolate
 * linearly within it. Accurate to a bucket's width (Micrometer's buckets grow by about a third), which is
 * plenty for a live page, and it needs no per-process percentile sketch: /metrics exports only buckets,
 * which add up across hosts. One per reader (each admin feed keeps its own); not thread-safe.
 */
public final class LatencyWindow {

  private final Timer timer;
  private double[] previous;

  LatencyWindow(Timer timer) {
    this.timer = timer;
    this.previous = cumulativeCounts(timer.takeSnapshot());
  }

  /** The given percentiles (0..1), in milliseconds, of what was recorded since the last call; 0 if nothing. */
  public double[] next(double... percentiles) {
    HistogramSnapshot snapshot = timer.takeSnapshot();
    CountAtBucket[] buckets = snapshot.histogramCounts();
    double[] now = cumulativeCounts(snapshot);
    double[] window = new double[now.length];
    for (int i = 0; i < now.length; i++) {
      window[i] = now[i] - (i < previous.length ? previous[i] : 0);
    }
    previous = now;
    double[] result = new double[percentiles.length];
    double total = window.length == 0 ? 0 : window[window.length - 1];
    if (total <= 0) {
      return result;
    }
    for (int p = 0; p < percentiles.length; p++) {
      double rank = percentiles[p] * total;
      for (int i = 0; i < window.length; i++) {
        if (window[i] >= rank) {
          double lower = i == 0 ? 0 : buckets[i - 1].bucket(TimeUnit.MILLISECONDS);
          double below = i == 0 ? 0 : window[i - 1];
          double upper = buckets[i].bucket(TimeUnit.MILLISECONDS);
          double inBucket = window[i] - below;
          result[p] = inBucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
          break;
        }
      }
    }
    return result;
  }

  /** Bucket counts as "at or below this bound", whichever way the registry reports them. */
  private static double[] cumulativeCounts(HistogramSnapshot snapshot) {
    CountAtBucket[] buckets = snapshot.histogramCounts();
    double[] counts = new double[buckets.length];
    boolean cumulative = true;
    for (int i = 1; i < buckets.length; i++) {
      if (buckets[i].count() < buckets[i - 1].count()) {
        cumulative = false;
        break;
      }
    }
    double sum = 0;
    for (int i = 0; i < buckets.length; i++) {
      sum = cumulative ? buckets[i].count() : sum + buckets[i].count();
      counts[i] = sum;
    }
    return counts;
  }
}
