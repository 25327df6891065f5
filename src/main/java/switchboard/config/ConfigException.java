package switchboard.config;

/**
 * A configuration value that Switchboard cannot run with. The message always names the key (as a dotted
 * path, e.g. {@code limits.maxFrameBytes}) and the offending value, so an operator can fix it at once.
 */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, Object value, String problem) {
    super("config key '" + key + "' = " + (isSecret(key) ? "(hidden)" : render(value)) + ": " + problem);
    this.key = key;
  }

  /** The dotted path of the key at fault. */
  public String key() {
    return key;
  }

  /** Keys whose values are never echoed, whatever is wrong with them (tokens, passwords, key files' text). */
  static boolean isSecret(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("token") || k.contains("password") || k.contains("secret");
  }

  private static String render(Object value) {
    if (value instanceof String s) {
      return '"' + s + '"';
    }
    return String.valueOf(value);
  }
}
