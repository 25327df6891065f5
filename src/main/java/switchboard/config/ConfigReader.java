package switchboard.config;

import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Typed, validated reads from one JSON object of the config. Every read names its key, so a wrong type or
 * range is reported with the full dotted path; {@link #rejectUnknownKeys()} catches typos such as
 * {@code "instance"} for {@code "instances"}, which would otherwise be ignored silently.
 */
final class ConfigReader {

  private final JsonObject json;
  private final String prefix;
  private final Set<String> known = new HashSet<>();

  ConfigReader(JsonObject json, String prefix) {
    this.json = json == null ? new JsonObject() : json;
    this.prefix = prefix;
  }

  String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  int integer(String key, int defaultValue, int min, int max) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(path(key), value, "must be a whole number");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ConfigException(path(key), value, "must be between " + min + " and " + max);
    }
    return (int) v;
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(path(key), value, "must be true or false");
    }
    return b;
  }

  String string(String key, String defaultValue) {
    Object value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(path(key), value, "must be a string");
    }
    return s;
  }

  /** A JSON array of strings; empty when absent. */
  java.util.List<String> strings(String key) {
    Object value = raw(key);
    if (value == null) {
      return java.util.List.of();
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array)) {
      throw new ConfigException(path(key), value, "must be a JSON array of strings");
    }
    java.util.List<String> result = new java.util.ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new ConfigException(path(key), value, "must be a JSON array of strings");
      }
      result.add(s);
    }
    return java.util.List.copyOf(result);
  }

  ConfigReader object(String key) {
    Object value = raw(key);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(path(key), value, "must be a JSON object");
    }
    return new ConfigReader((JsonObject) value, path(key));
  }

  /** A JSON object whose keys are free-form and whose values are all strings, in file order. */
  Map<String, String> stringMap(String key, Map<String, String> defaultValue) {
    ConfigReader section = object(key);
    if (section.json.isEmpty() && raw(key) == null) {
      return defaultValue;
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : section.json.fieldNames()) {
      result.put(name, section.string(name, null));
    }
    return result;
  }

  boolean has(String key) {
    return raw(key) != null;
  }

  void rejectUnknownKeys() {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw new ConfigException(path(name), json.getValue(name), "unknown key");
      }
    }
  }

  /** The keys present in this object, in file order. */
  java.util.Set<String> fieldNames() {
    return new java.util.LinkedHashSet<>(json.fieldNames());
  }

  Object raw(String key) {
    known.add(key);
    return json.getValue(key);
  }
}
