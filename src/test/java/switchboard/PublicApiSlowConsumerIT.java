package switchboard;

/** {@link SlowConsumerIT}, all of it, on Vert.x's public WebSocket API ({@code transport.fastPath: false}). */
class PublicApiSlowConsumerIT extends SlowConsumerIT {

  @Override
  boolean fastPath() {
    return false;
  }
}
