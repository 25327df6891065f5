package switchboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static java.lang.invoke.MethodType.methodType;

/**
 * One io_uring per event-loop thread, for the sends that end a pass ({@link FlushBatch}): each dirty
 * socket's corked frames go in as one {@code IORING_OP_SEND} (one frame) or {@code IORING_OP_SENDMSG}
 * (several, as one iovec array), and all of them leave with one {@code io_uring_enter}. When this was
 * built, a system call on this project's VM cost about 1.1 µs of entry and exit alone (a loop of
 * {@code getppid}; 0.27 µs on a later host), and at a steady 100 messages/s to 1,000 subscribers every
 * delivery was a system call of its own; a C program sending the same way spent 0.6× the CPU per delivery
 * through a ring.
 *
 * <p>Sends, not {@code IORING_OP_WRITEV}: a writev through the ring takes the file path (the file's flags,
 * a modify notification for every write: 5% of the server's CPU at 300k deliveries/s in {@code perf}),
 * where a send goes straight to the socket, as uWebSockets' {@code send(2)} does.
 *
 * <p>Each send carries {@code MSG_DONTWAIT}: on a full socket buffer it completes at once with
 * {@code EAGAIN}, short sends complete with the count, and nothing is ever left waiting or retried in the
 * kernel. So every completion is in the ring when {@link #submit} returns, and the caller handles what the
 * kernel did not take exactly as after a {@code writev(2)}: it goes to Netty, in order.
 *
 * <p>The ring is Netty's (netty-transport-native-io_uring): its package-private {@code Native.createRingBuffer},
 * {@code SubmissionQueue.enqueueSqe}, {@code submit}, {@code submitAndGet} and {@code CompletionQueue.process},
 * and the {@code struct msghdr} layout its native library measured, reached through method handles. When
 * any of them is missing or the kernel refuses io_uring, {@link #unavailabilityCause} says why and
 * {@link FlushBatch} writes each socket with its own writev. SendRingTest fails when they change. Confined
 * to the thread that opened it.
 */
public final class SendRing {

  private static final byte IORING_OP_SENDMSG = 9;
  private static final byte IORING_OP_SEND = 26;
  /** Never wait: a full socket buffer completes at once with EAGAIN (and io_uring does not poll for it). */
  private static final int MSG_DONTWAIT = 0x40;
  private static final int IORING_SETUP_CLAMP = 1 << 4;
  private static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
  /** Sends per submission; 4,096 keeps one pass to 1,000 subscribers in one system call. */
  static final int ENTRIES = 4096;
  /** iovecs for one submission's sends (16 bytes each); a send of one socket's cork is at most 256. */
  static final int IOVECS = 16_384;
  private static final int MAX_IOVECS_PER_SEND = 256;

  private static final MethodHandle CREATE;
  private static final MethodHandle SUBMISSIONS;
  private static final MethodHandle COMPLETIONS;
  private static final MethodHandle CLOSE;
  private static final MethodHandle ENQUEUE;
  private static final MethodHandle SUBMIT;
  private static final MethodHandle SUBMIT_AND_WAIT;
  private static final MethodHandle PROCESS;
  private static final MethodHandle CALLBACK;
  /** struct msghdr's size and where its iovec pointer and count sit (Netty's native library measured them). */
  private static final int MSGHDR_SIZE;
  private static final int MSGHDR_IOV;
  private static final int MSGHDR_IOVLEN;
  private static final Throwable UNAVAILABLE;

  static {
    MethodHandle create = null, submissions = null, completions = null, close = null, enqueue = null;
    MethodHandle submit = null, submitAndWait = null, process = null, callback = null;
    int msghdrSize = 0, msghdrIov = 0, msghdrIovlen = 0;
    Throwable unavailable = null;
    try {
      if (!io.netty.channel.uring.IoUring.isAvailable()) {
        throw io.netty.channel.uring.IoUring.unavailabilityCause();
      }
      ClassLoader loader = io.netty.channel.uring.IoUring.class.getClassLoader();
      Class<?> nativeClass = Class.forName("io.netty.channel.uring.Native", true, loader);
      Class<?> ring = Class.forName("io.netty.channel.uring.RingBuffer", false, loader);
      Class<?> sq = Class.forName("io.netty.channel.uring.SubmissionQueue", false, loader);
      Class<?> cq = Class.forName("io.netty.channel.uring.CompletionQueue", false, loader);
      Class<?> callbackType = Class.forName("io.netty.channel.uring.CompletionCallback", false, loader);
      MethodHandles.Lookup netty = MethodHandles.privateLookupIn(nativeClass, MethodHandles.lookup());
      create = netty.findStatic(nativeClass, "createRingBuffer", methodType(ring, int.class, int.class, int.class))
          .asType(methodType(Object.class, int.class, int.class, int.class));
      submissions = netty.findVirtual(ring, "ioUringSubmissionQueue", methodType(sq))
          .asType(methodType(Object.class, Object.class));
      completions = netty.findVirtual(ring, "ioUringCompletionQueue", methodType(cq))
          .asType(methodType(Object.class, Object.class));
      close = netty.findVirtual(ring, "close", methodType(void.class)).asType(methodType(void.class, Object.class));
      MethodType sqe = methodType(void.class, byte.class, byte.class, short.class, int.class, long.class, long.class,
          int.class, int.class, long.class, short.class, short.class, int.class, long.class);
      enqueue = findEither(netty, sq, "enqueueSqe", sqe.changeReturnType(long.class), sqe)
          .asType(sqe.insertParameterTypes(0, Object.class));
      submit = netty.findVirtual(sq, "submit", methodType(int.class)).asType(methodType(int.class, Object.class));
      submitAndWait = netty.findVirtual(sq, "submitAndGet", methodType(int.class))
          .asType(methodType(int.class, Object.class));
      process = netty.findVirtual(cq, "process", methodType(int.class, callbackType))
          .asType(methodType(int.class, Object.class, Object.class));
      // Netty calls back through its package-private interface; a lambda made in its package implements it
      MethodType handle = methodType(void.class, int.class, int.class, long.class, ByteBuffer.class);
      CallSite site = LambdaMetafactory.metafactory(MethodHandles.privateLookupIn(callbackType, MethodHandles.lookup()),
          "handle", methodType(callbackType, SendRing.class), handle,
          MethodHandles.lookup().findVirtual(SendRing.class, "completed", handle), handle);
      callback = site.getTarget().asType(methodType(Object.class, SendRing.class));
      msghdrSize = (int) netty.findStaticGetter(nativeClass, "SIZEOF_MSGHDR", int.class).invokeExact();
      msghdrIov = (int) netty.findStaticGetter(nativeClass, "MSGHDR_OFFSETOF_MSG_IOV", int.class).invokeExact();
      msghdrIovlen = (int) netty.findStaticGetter(nativeClass, "MSGHDR_OFFSETOF_MSG_IOVLEN", int.class).invokeExact();
    } catch (Throwable e) {
      unavailable = e;
    }
    CREATE = create;
    SUBMISSIONS = submissions;
    COMPLETIONS = completions;
    CLOSE = close;
    ENQUEUE = enqueue;
    SUBMIT = submit;
    SUBMIT_AND_WAIT = submitAndWait;
    PROCESS = process;
    CALLBACK = callback;
    MSGHDR_SIZE = msghdrSize;
    MSGHDR_IOV = msghdrIov;
    MSGHDR_IOVLEN = msghdrIovlen;
    UNAVAILABLE = unavailable;
  }

  private static MethodHandle findEither(MethodHandles.Lookup lookup, Class<?> owner, String name, MethodType first,
      MethodType second) throws ReflectiveOperationException {
    try {
      return lookup.findVirtual(owner, name, first);
    } catch (NoSuchMethodException e) {
      return lookup.findVirtual(owner, name, second);
    }
  }

  /** Why rings cannot be opened here (no io_uring in the kernel, a seccomp filter, Netty changed), or null. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABLE;
  }

  /** This thread's ring, opened at first use and closed with the thread's FastThreadLocals; null when unavailable. */
  static SendRing forThisThread() {
    return UNAVAILABLE == null ? RINGS.get() : null;
  }

  private static final FastThreadLocal<SendRing> RINGS = new FastThreadLocal<>() {
    @Override
    protected SendRing initialValue() {
      try {
        return open();
      } catch (Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "could not open an io_uring on " + Thread.currentThread().getName()
            + ", so its sockets are written one writev each: " + e);
        return null;
      }
    }

    @Override
    protected void onRemoval(SendRing ring) {
      if (ring != null) {
        ring.close();
      }
    }
  };

  private static final System.Logger LOG = System.getLogger(SendRing.class.getName());
  /** Sends handed to the kernel through rings, and the io_uring_enter calls that carried them (all threads). */
  private static final java.util.concurrent.atomic.LongAdder SENDS = new java.util.concurrent.atomic.LongAdder();
  private static final java.util.concurrent.atomic.LongAdder ENTERS = new java.util.concurrent.atomic.LongAdder();

  /** Sends that left through a ring since start, for {@code switchboard_batched_writes_total}. */
  public static long sendsSubmitted() {
    return SENDS.sum();
  }

  /** The io_uring_enter calls that carried them, for {@code switchboard_batched_write_calls_total}. */
  public static long entersMade() {
    return ENTERS.sum();
  }

  private final Object ring;
  private final Object submissions;
  private final Object completions;
  private final Object callback;
  /** The iovecs of the sends being prepared: {base, length} pairs, 16 bytes each. */
  private final ByteBuffer iovecs = ByteBuffer.allocateDirect(IOVECS * 16).order(ByteOrder.nativeOrder());
  private final long iovecsAddress = io.netty.channel.unix.Buffer.memoryAddress(iovecs);
  /** One struct msghdr per ticket of several frames, zeroed but for its iovecs (no address, no control data). */
  private final ByteBuffer msghdrs = ByteBuffer.allocateDirect(ENTRIES * MSGHDR_SIZE).order(ByteOrder.nativeOrder());
  private final long msghdrsAddress = io.netty.channel.unix.Buffer.memoryAddress(msghdrs);
  /** Per ticket: bytes the kernel took, or 0 (refused, failed, or never submitted). */
  private final long[] taken = new long[ENTRIES];
  private int tickets;
  private int iovecsUsed;
  /** A completion said the kernel will not do such sends at all (an opcode it does not know, say). */
  private int refusedWith;
  private boolean closed;

  private SendRing(Object ring) throws Throwable {
    this.ring = ring;
    this.submissions = SUBMISSIONS.invokeExact(ring);
    this.completions = COMPLETIONS.invokeExact(ring);
    this.callback = CALLBACK.invokeExact(this);
  }

  /** A ring for the calling thread; throws when io_uring is unavailable ({@link #unavailabilityCause}). */
  static SendRing open() throws Throwable {
    if (UNAVAILABLE != null) {
      throw UNAVAILABLE;
    }
    return new SendRing(CREATE.invokeExact(ENTRIES, 2 * ENTRIES, IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL));
  }

  /** Whether one more send of up to a cork's worth of frames fits before the next {@link #submit}. */
  boolean hasRoom() {
    return !closed && tickets < ENTRIES && iovecsUsed + MAX_IOVECS_PER_SEND <= IOVECS;
  }

  /**
   * Adds one send of {@code frames[0..count)} (not consumed; they must stay alive until {@link #taken}) to
   * socket {@code fd}: a ticket for {@link #taken} after {@link #submit}, or -1 when it does not fit or a
   * frame has no native address (then the caller writes it itself).
   */
  int send(int fd, ByteBuf[] frames, int count) {
    if (!hasRoom() || count > MAX_IOVECS_PER_SEND) {
      return -1;
    }
    for (int i = 0; i < count; i++) {
      if (!frames[i].hasMemoryAddress()) {
        return -1;
      }
    }
    int ticket = tickets++;
    taken[ticket] = 0;
    byte op;
    long address;
    int length;
    if (count == 1) {
      // a send(2) of one buffer: the kernel imports no iovec and no msghdr
      op = IORING_OP_SEND;
      address = frames[0].memoryAddress() + frames[0].readerIndex();
      length = frames[0].readableBytes();
    } else {
      int first = iovecsUsed;
      for (int i = 0; i < count; i++) {
        ByteBuf frame = frames[i];
        int at = (first + i) * 16;
        iovecs.putLong(at, frame.memoryAddress() + frame.readerIndex());
        iovecs.putLong(at + 8, frame.readableBytes());
      }
      iovecsUsed += count;
      int header = ticket * MSGHDR_SIZE;
      msghdrs.putLong(header + MSGHDR_IOV, iovecsAddress + first * 16L);
      msghdrs.putLong(header + MSGHDR_IOVLEN, count); // a size_t: Netty's native library is 64-bit only
      op = IORING_OP_SENDMSG;
      address = msghdrsAddress + header;
      length = 1;
    }
    try {
      ENQUEUE.invokeExact(submissions, op, (byte) 0, (short) 0, fd, 0L, address, length, MSG_DONTWAIT, (long) ticket,
          (short) 0, (short) 0, 0, 0L);
    } catch (Throwable e) {
      throw new IllegalStateException("io_uring: could not queue a send", e);
    }
    return ticket;
  }

  /**
   * Hands every queued send to the kernel with one {@code io_uring_enter} and reads their completions. If
   * the kernel refuses the submission, the ring closes (later passes write socket by socket) and the
   * tickets it did not run read as 0 taken, so their bytes go through Netty: nothing is lost.
   */
  void submit() {
    if (tickets == 0 || closed) {
      return;
    }
    try {
      int submitted = (int) SUBMIT.invokeExact(submissions);
      SENDS.add(submitted);
      ENTERS.increment();
      int completed = (int) PROCESS.invokeExact(completions, callback);
      // MSG_DONTWAIT sends complete inside io_uring_enter; this wait is only a guard
      while (completed < submitted) {
        int unused = (int) SUBMIT_AND_WAIT.invokeExact(submissions);
        completed += (int) PROCESS.invokeExact(completions, callback);
      }
      if (refusedWith != 0) {
        // every write of this loop would go the slow way through Netty: better one writev each
        LOG.log(System.Logger.Level.WARNING, "the kernel refuses MSG_DONTWAIT sends on sockets through io_uring"
            + " (error " + refusedWith + "), so this loop's sockets are written one writev each from now on");
        close();
      }
    } catch (Throwable e) {
      LOG.log(System.Logger.Level.WARNING, "io_uring_enter failed, so this loop's sockets are written one writev"
          + " each from now on: " + e);
      close();
    }
  }

  /** Netty's CompletionQueue calls this for each completion read in {@link #submit}. */
  public void completed(int result, int flags, long ticket, ByteBuffer extra) {
    taken[(int) ticket] = Math.max(result, 0);
    if (result == -95 || result == -22) { // EOPNOTSUPP, EINVAL: not a socket's state but the request itself
      refusedWith = result;
    }
  }

  /** Bytes the kernel took of ticket's frames: 0 when it refused (a full buffer), failed, or never ran it. */
  long taken(int ticket) {
    return taken[ticket];
  }

  /** Forgets this submission's tickets; the next send starts a new one. */
  void clear() {
    tickets = 0;
    iovecsUsed = 0;
  }

  /** Closes the ring (its thread ends, or the kernel refused a submission); later sends return -1. */
  void close() {
    if (!closed) {
      closed = true;
      try {
        CLOSE.invokeExact(ring);
      } catch (Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "could not close an io_uring: " + e);
      }
    }
  }
}
