package switchboard.app;

/**
 * Why a request of a connection was not carried out: what a failed {@link Connection#publish} future holds.
 * Its message is fit to show the client and never carries internal error text (hosts, stack traces: those
 * go to the log); {@link Reason#closeCode()} is the close code that fits if the app decides to close.
 */
public final class Refusal extends RuntimeException {

  /** The rule that refused it, or the broker that could not take it. */
  public enum Reason {
    /** The channel name is not 1-128 characters from {@code A-Z a-z 0-9 _ . : -}. */
    INVALID_CHANNEL(CloseCodes.POLICY_VIOLATION),
    /** The message is over {@code limits.maxMessageBytes}. */
    TOO_LARGE(CloseCodes.MESSAGE_TOO_BIG),
    /** Over the connection's message or byte rate: try again later. */
    RATE_LIMITED(CloseCodes.POLICY_VIOLATION),
    /** The broker failed it in flight (e.g. Redis lost): not delivered anywhere for sure, safe to try again. */
    BROKER_FAILED(CloseCodes.TRY_AGAIN_LATER);

    private final short closeCode;

    Reason(short closeCode) {
      this.closeCode = closeCode;
    }

    public short closeCode() {
      return closeCode;
    }
  }

  private final Reason reason;

  public Refusal(Reason reason, String message) {
    super(message, null, false, false); // an answer, not a failure: no stack trace to fill
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
