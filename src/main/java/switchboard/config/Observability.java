package switchboard.config;

/**
 * The {@code metrics}, {@code admin} and {@code logging} sections.
 *
 * @param metrics      serve {@code GET /metrics} (Prometheus text); default on
 * @param metricsToken bearer token (or {@code ?token=}) for /metrics, or null: open
 * @param admin        serve the live admin page at {@code /admin/}; default on
 * @param adminToken   token for /admin/ and its feed ({@code ?token=} in the page URL), or null: open
 * @param jsonLogs     one JSON object per log line instead of plain text; default off
 */
public record Observability(boolean metrics, String metricsToken, boolean admin, String adminToken, boolean jsonLogs) {

  static Observability read(ConfigReader metrics, ConfigReader admin, ConfigReader logging) {
    boolean metricsOn = metrics.bool("enabled", true);
    String metricsToken = token(metrics);
    boolean adminOn = admin.bool("enabled", true);
    String adminToken = token(admin);
    boolean json = logging.bool("json", false);
    metrics.rejectUnknownKeys();
    admin.rejectUnknownKeys();
    logging.rejectUnknownKeys();
    return new Observability(metricsOn, metricsToken, adminOn, adminToken, json);
  }

  public static Observability defaults() {
    return new Observability(true, null, true, null, false);
  }

  private static String token(ConfigReader section) {
    String token = section.string("token", null);
    if (token != null && token.length() < 16) {
      throw new ConfigException(section.path("token"), "(hidden)", "use at least 16 characters");
    }
    return token;
  }
}
