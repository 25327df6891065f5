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

  /** Creates one instance of each configured app class, from Switchboard's own class path. */
  public static AppMounts instantiate(Map<String, String> apps) {
    return instantiate(apps, Map.of(), AppMounts.class.getClassLoader());
  }

  /**
   * Creates one instance of each configured app class (already {@link #validate validated}) from
   * {@code loader}, and hands a {@link Configurable} app its options.
   */
  public static AppMounts instantiate(Map<String, String> apps, Map<String, io.vertx.core.json.JsonObject> options,
      ClassLoader loader) {
    List<Mount> mounts = new ArrayList<>();
    apps.forEach((prefix, className) -> {
      App app = newInstance(prefix, className, loader);
      if (app instanceof Configurable configurable) {
        try {
          configurable.configure(options.getOrDefault(prefix, new io.vertx.core.json.JsonObject()).copy());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("appOptions." + prefix, options.get(prefix), e.getMessage());
        }
      }
      mounts.add(new Mount(prefix, app));
    });
    mounts.sort(Comparator.comparingInt((Mount m) -> m.prefix().length()).reversed());
    return new AppMounts(List.copyOf(mounts));
  }

  /** These mounts plus {@code app} at {@code prefix} (a built-in app, such as the client protocol). */
  public AppMounts with(String prefix, App app) {
    List<Mount> all = new ArrayList<>(mounts);
    all.add(new Mount(prefix, app));
    all.sort(Comparator.comparingInt((Mount m) -> m.prefix().length()).reversed());
    return new AppMounts(List.copyOf(all));
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

  /**
   * Loads every class of the {@code apps} config key from {@code loader} and checks it is an App with a
   * public no-argument constructor, naming the key at fault. Call once at deploy time, off the event loop
   * (it loads classes, possibly from jars).
   */
  public static void validate(Map<String, String> apps, ClassLoader loader) {
    apps.forEach((prefix, className) -> constructor("apps." + prefix, className, loader));
  }

  /**
   * The class loader for app classes: Switchboard's own, plus {@code appsPath} (jars or folders built
   * against the switchboard dependency) when given. Made once per server; its classes see Switchboard's.
   */
  public static ClassLoader loader(List<java.nio.file.Path> appsPath) {
    ClassLoader own = AppMounts.class.getClassLoader();
    if (appsPath.isEmpty()) {
      return own;
    }
    java.net.URL[] urls = new java.net.URL[appsPath.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = appsPath.get(i).toUri().toURL();
      } catch (java.net.MalformedURLException e) {
        throw new ConfigException("appsPath", appsPath.get(i).toString(), "not a usable path: " + e.getMessage());
      }
    }
    return new java.net.URLClassLoader("switchboard-apps", urls, own);
  }

  private static App newInstance(String prefix, String className, ClassLoader loader) {
    try {
      return constructor("apps." + prefix, className, loader).newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException("apps." + prefix, className, "constructor failed: " + e.getCause());
    }
  }

  private static Constructor<? extends App> constructor(String key, String className, ClassLoader loader) {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigException(key, className, "no such class on the classpath or appsPath");
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
