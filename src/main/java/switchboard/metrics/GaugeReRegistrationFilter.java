package switchboard.metrics;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops one Micrometer warning that is not a problem. Vert.x's meters register the per-connection gauge
 * ({@code vertx.http.server.active.connections}) again for every new connection and keep the first one,
 * by design (vertx-micrometer-metrics' LongGaugeBuilder); Micrometer 1.15 warns about the second
 * registration, so every server logged a WARNING on its first connection. Every other Micrometer record
 * still passes.
 */
public final class GaugeReRegistrationFilter implements Filter {

  /** Held here: the logging framework keeps loggers only weakly, and with them their filters. */
  private static final Logger METER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  private GaugeReRegistrationFilter() {
  }

  public static void install() {
    METER_REGISTRY.setFilter(new GaugeReRegistrationFilter());
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    String message = record.getMessage();
    return message == null || !message.startsWith("This Gauge has been already registered");
  }
}
