package switchboard.app;

import switchboard.config.ConfigException;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The apps of one server verticle instance, each mounted at a URL path prefix. A WebSocket upgrade goes to
 * the app with the longest prefix that matches the request path on a segment boundary ({@code /echo}
 * matches {@code /echo} and {@code /echo/x}, not {@code /echoes}). Confined to one event loop.
 */
public final class AppMounts {

  /** An app and where it is mounted. */
  public record Mount(String prefix, App app) {

    /** The part of {@code path} below the prefix, always starting with {@code /}. */
    public String pathInfo(String path) {
      String rest = prefix.equals("/") ? path : path.substring(prefix.length());
      return rest.isEmpty() ? "/" : rest;
    }

    boolean matches(String path) {
      if (prefix.equals("/")) {
        return true;
      }
      return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
  }

  private final List<Mount> mounts;

  private AppMounts(List<Mount> mounts) {
    this.mounts = mounts;
  }

  /** Creates one instance of each configured app class (already {@link #validate validated}). */
  public static AppMounts instantiate(Map<String, String> apps) {
    List<Mount> mounts = new ArrayList<>();
    apps.forEach((prefix, className) -> mounts.add(new Mount(prefix, newInstance(prefix, className))));
    mounts.sort(Comparator.comparingInt((Mount m) -> m.prefix().length()).reversed());
    return new AppMounts(List.copyOf(mounts));
  }

  /** The mount for a decoded request path, or null when no prefix matches. */
  public Mount find(String path) {
    for (Mount mount : mounts) {
      if (mount.matches(path)) {
        return mount;
      }
    }
    return null;
  }

  /** Checks every prefix and class of the {@code apps} config key, naming the key at fault. */
  public static void validate(Map<String, String> apps) {
    if (apps.isEmpty()) {
      throw new ConfigException("apps", "{}", "mount at least one app, e.g. {\"/\": \"switchboard.chat.ChatRoom\"}");
    }
    apps.forEach((prefix, className) -> {
      if (!prefix.startsWith("/") || (prefix.length() > 1 && prefix.endsWith("/"))) {
        throw new ConfigException("apps." + prefix, className, "a mount path starts with '/' and does not end with '/'");
      }
      constructor("apps." + prefix, className);
    });
  }

  private static App newInstance(String prefix, String className) {
    try {
      return constructor("apps." + prefix, className).newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException("apps." + prefix, className, "constructor failed: " + e.getCause());
    }
  }

  private static Constructor<? extends App> constructor(String key, String className) {
    Class<?> type;
    try {
      type = Class.forName(className);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(key, className, "no such class on the classpath");
    }
    if (!App.class.isAssignableFrom(type)) {
      throw new ConfigException(key, className, "does not implement " + App.class.getName());
    }
    try {
      return type.asSubclass(App.class).getConstructor();
    } catch (NoSuchMethodException e) {
      throw new ConfigException(key, className, "needs a public no-argument constructor");
    }
  }
}
