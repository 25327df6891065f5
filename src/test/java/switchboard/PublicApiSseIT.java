package switchboard;

/** {@link SseIT}, all of it, on Vert.x's public response API ({@code transport.fastPath: false}). */
class PublicApiSseIT extends SseIT {

  @Override
  boolean fastPath() {
    return false;
  }
}
