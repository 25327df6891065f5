package switchboard.server;

/** Opens the package-private path guard to the fuzz targets. */
public final class StaticPathProbe {

  private StaticPathProbe() {
  }

  public static String problem(String raw) {
    return StaticPathGuard.problem(raw);
  }
}
