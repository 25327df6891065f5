package switchboard;

/** {@link SseIT}, all of it, on epoll, as production runs: events leave by direct sends and the cork. */
class EpollSseIT extends SseIT {

  @Override
  boolean epoll() {
    return true;
  }
}
