package switchboard;

/** {@link SlowConsumerIT}, all of it, with one writev per socket instead of the io_uring ({@code transport.ioUring: false}). */
class WritevSlowConsumerIT extends SlowConsumerIT {

  @Override
  boolean ioUring() {
    return false;
  }
}
