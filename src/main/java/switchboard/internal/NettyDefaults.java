package switchboard.internal;

/**
 * The system properties Switchboard sets for Netty, which reads them once, when its classes initialize: so
 * {@link #apply()} must run before anything touches Netty ({@code Launcher.main} calls it first). A value the
 * operator gave with {@code -D} is kept.
 * <ul>
 *   <li>{@code io.netty.jfr.enabled=false}: Netty 4.2's buffer allocator asks whether its JFR events are on for
 *       each chunk and buffer it allocates. The first time (at the first connection) that sets up the JDK's
 *       event metadata even when nothing records: about 70 JFR classes and their annotation proxies, and the
 *       metadata's objects on the heap, all kept for the life of the process. Measured (3 paired runs, 20
 *       connections, native memory tracking): metaspace +0.5 MB, JIT code +0.2-0.4 MB, symbols +0.1 MB, heap
 *       objects 0.6 MB; RSS 3 MB lower without it (median). Netty's allocator events are for debugging Netty
 *       itself; {@code -Dio.netty.jfr.enabled=true} brings them back.</li>
 * </ul>
 * Re-check on a Netty upgrade: NettyDefaultsIT (it fails when the property no longer turns the events off).
 */
public final class NettyDefaults {

  static final String JFR_EVENTS = "io.netty.jfr.enabled";

  private NettyDefaults() {
  }

  /** Sets the defaults the operator did not set. Call before any Netty class initializes. */
  public static void apply() {
    if (System.getProperty(JFR_EVENTS) == null) {
      System.setProperty(JFR_EVENTS, "false");
    }
  }
}
