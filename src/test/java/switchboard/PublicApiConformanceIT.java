package switchboard;

/** The whole RFC 6455 conformance suite on Vert.x's public WebSocket API ({@code transport.fastPath: false}). */
class PublicApiConformanceIT extends ConformanceIT {

  @Override
  boolean fastPath() {
    return false;
  }
}
