package switchboard;

/** {@link ChatIT}, all of it, on Vert.x's public WebSocket API ({@code transport.fastPath: false}). */
class PublicApiChatIT extends ChatIT {

  @Override
  boolean fastPath() {
    return false;
  }
}
