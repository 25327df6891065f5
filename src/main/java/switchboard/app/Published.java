package switchboard.app;

import java.nio.ByteBuffer;

/**
 * A message on a channel as an {@link Envelope} sees it: a publication, or an announcement that a client
 * joined or left the channel. Apps without an envelope receive publications only, as published. Immutable.
 */
public interface Published {

  /** What a message on a channel is. */
  enum Kind {
    /** Something published: the payload is what was published. */
    PUBLICATION,
    /** A client subscribed: the payload is a JSON object describing it (the client protocol's ClientInfo). */
    JOIN,
    /** A client unsubscribed: the payload is a JSON object describing it. */
    LEAVE
  }

  String channel();

  Kind kind();

  /** Whether the payload is UTF-8 text (else binary). */
  boolean isText();

  /** A read-only view of the payload, valid while the message is. */
  ByteBuffer payload();

  /** Who published it, as the publishing app described them (a JSON object's text), or null. */
  String publisher();
}
