package switchboard.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for one test with the openssl command: a CA, certificates it signs for given names,
 * and a second, unrelated CA. PEM files in a directory of the test's.
 */
public final class TestCerts {

  private final Path dir;

  public TestCerts(Path dir) {
    this.dir = dir;
  }

  /** A self-signed CA: {@code name.crt} and {@code name.key}. */
  public Path ca(String name) throws Exception {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
        "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString());
    return dir.resolve(name + ".crt");
  }

  /**
   * A certificate signed by CA {@code ca} with the subject alternative names {@code san} (e.g.
   * "IP:127.0.0.1,DNS:localhost"): {@code name.crt} and its key {@code name.key} (PKCS#8).
   */
  public Path signed(String ca, String name, String san) throws Exception {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path ext = Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", key.toString(), "-out", csr.toString());
    openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".crt").toString(), "-CAkey",
        dir.resolve(ca + ".key").toString(), "-CAcreateserial", "-days", "2", "-extfile", ext.toString(),
        "-out", dir.resolve(name + ".crt").toString());
    return dir.resolve(name + ".crt");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("the TLS tests make their certificates with openssl: install it (apt-get install openssl)", e);
    }
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
