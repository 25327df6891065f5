package switchboard.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Centrifugo's JavaScript SDK from the npm registry, installed once into {@code target/node-sdk} with
 * {@code npm ci} from {@code src/test/node}'s lock file: the real SDK for the Node and browser tests. A
 * missing Node or npm fails with what to install.
 */
public final class NodeSdk {

  private static final Path SOURCES = Path.of("src/test/node");
  public static final Path WORK = Path.of("target/node-sdk");

  private NodeSdk() {
  }

  /** Installs the SDK unless it is there already; returns {@link #WORK}. */
  public static synchronized Path install() throws Exception {
    String version = run(List.of("node", "--version"), Path.of("."), 30,
        "Node.js is needed for the SDK tests: apt-get install nodejs npm (Node 18 or newer)");
    assertTrue(Integer.parseInt(version.trim().replaceAll("^v(\\d+).*", "$1")) >= 18, "Node 18 or newer is needed, found " + version);
    Files.createDirectories(WORK);
    for (String file : List.of("package.json", "package-lock.json", "sdk-scenarios.js")) {
      Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(WORK.resolve("node_modules/centrifuge"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), WORK, 300,
          "npm could not install the SDK from the registry: apt-get install npm, and reach registry.npmjs.org");
    }
    return WORK;
  }

  /** The installed package's folder ({@code node_modules/centrifuge}). */
  public static Path centrifuge() throws Exception {
    return install().resolve("node_modules/centrifuge");
  }

  private static String run(List<String> command, Path dir, int seconds, String whatToDo) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail(whatToDo + " (" + e.getMessage() + ")");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(seconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      return fail(whatToDo + ": " + String.join(" ", command) + " said:\n" + output);
    }
    return output;
  }
}
