package switchboard.config;

/**
 * Every per-connection limit in one place (the {@code limits} config section). Each default states why.
 *
 * @param maxFrameBytes   largest single WebSocket frame a client may send; 64 KiB covers any chat line and
 *                        keeps a malicious frame from holding much memory (close 1009 above it)
 * @param maxMessageBytes largest message after reassembling fragments, and largest message anyone may
 *                        publish; 64 KiB by default for the same reason (close 1009 above it)
 * @param writeQueueBytes bytes queued for one client that it has not read yet; past this it is a slow
 *                        consumer and is closed with 1008, so one stalled reader cannot grow the heap.
 *                        1 MiB by default: sixteen maximum-size messages, or thousands of chat lines
 */
public record Limits(int maxFrameBytes, int maxMessageBytes, int writeQueueBytes) {

  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  public static final int DEFAULT_WRITE_QUEUE_BYTES = 1024 * 1024;
  private static final int HARD_MAX = 16 * 1024 * 1024;

  static Limits read(ConfigReader section) {
    int frame = section.integer("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES, 125, HARD_MAX);
    int message = section.integer("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES, 125, HARD_MAX);
    int queue = section.integer("writeQueueBytes", DEFAULT_WRITE_QUEUE_BYTES, 4096, 256 * 1024 * 1024);
    section.rejectUnknownKeys();
    return new Limits(frame, message, queue);
  }

  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_WRITE_QUEUE_BYTES);
  }
}
