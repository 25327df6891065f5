package switchboard;

/** {@link EpollSseIT}, all of it, with one writev per socket instead of the io_uring ({@code transport.ioUring: false}). */
class EpollWritevSseIT extends EpollSseIT {

  @Override
  boolean ioUring() {
    return false;
  }
}
