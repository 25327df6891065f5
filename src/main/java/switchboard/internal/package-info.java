/**
 * The fence: every use of a Vert.x or Netty API that they do not promise to keep lives in this package,
 * and nowhere else (FenceTest fails the build otherwise). What each one is for, and what to re-check on
 * an upgrade of Vert.x (and the Netty it brings):
 * <ul>
 *   <li>{@link switchboard.internal.VertxHandover}: {@code WebSocketInternal.channelHandlerContext()}, the
 *       handler names Vert.x gives an upgraded pipeline ("handler", "wsdecoder", "wsencoder",
 *       "chunkedWriter", "idle"; all but ours are removed, Netty's frame decoder too, since
 *       {@code ClientFrameReader} reads the frames) and that calling its handler's {@code channelInactive}
 *       closes its books.
 *       Re-check: PipelineIT (the exact pipeline after the handover, on NIO and epoll), the idle-memory figure
 *       of {@code bench idle}, and that {@code vertx_http_server_active_ws_connections} stays 0. With it,
 *       {@code OrphanClosePromises} reads the listeners of the channel's close future ({@code DefaultPromise.listener},
 *       {@code .listeners}, Vert.x's {@code FutureImpl.listener}) to take off the promises of Vert.x's
 *       discarded connection objects, and re-adds the one listener left so that Netty holds it without a list
 *       (Netty's {@code removeListener} drops an emptied list). Re-check: PipelineIT (it counts them and checks
 *       the re-add), OrphanClosePromisesTest, ShutdownIT.</li>
 *   <li>{@code DirectSend} (package-private; the transport gets a {@link switchboard.internal.DirectSender} and
 *       the pending byte count from {@link switchboard.internal.VertxInternals}): {@code Channel.unsafe().outboundBuffer()} and the epoll
 *       channel's {@code Socket.sendAddress} and {@code writevAddresses}. It writes past the pipeline, so it
 *       refuses any channel with an outbound handler below the point bytes are written at (TLS included).
 *       It holds the channel's outbound buffer and asks the socket, not the channel, whether it is open: Netty
 *       keeps one buffer per channel, drained on close, and marks the socket closed as the channel goes
 *       inactive. Re-check: DirectSendIT (those two), PipelineIT, SlowConsumerIT, ChatIT and EpollSseIT on
 *       epoll (frames split between send(2) and Netty's queue).</li>
 *   <li>{@code VertxHandover.takeEventStream}: the handler names and kinds of Vert.x's HTTP/1 pipeline
 *       ("httpDecoder", "httpEncoder", "idle", "chunkedWriter", "handler"; {@code ConnectionBase.channelHandlerContext()}),
 *       that once a streamed response's head and first chunk are written nothing of Vert.x is pending in them, and,
 *       as for WebSockets, that calling its handler's {@code channelInactive} closes its books. Our handler
 *       replaces Vert.x's, the codec goes, and we write whole chunks and the last one ourselves. Re-check:
 *       PipelineIT (the exact pipeline of an event stream after the handover, on NIO and epoll), the three SSE
 *       suites and the idle-memory figure of {@code bench idle --transport sse}. When it no longer holds, event
 *       streams fall back to the public response API by themselves, with a warning.</li>
 *   <li>{@link switchboard.internal.SendRing}: Netty's io_uring ring (netty-transport-native-io_uring), through
 *       method handles on its package-private {@code Native.createRingBuffer}, {@code RingBuffer}'s queues,
 *       {@code SubmissionQueue.enqueueSqe}, {@code submit}, {@code submitAndGet} and {@code CompletionQueue.process}
 *       (whose {@code CompletionCallback} a lambda made in Netty's package implements), and {@code Native}'s
 *       measured {@code struct msghdr} layout ({@code SIZEOF_MSGHDR}, {@code MSGHDR_OFFSETOF_MSG_IOV(LEN)}). It sends to the epoll
 *       channels' sockets with {@code MSG_DONTWAIT}, so every send completes inside the one system call; and
 *       when any of that is missing, sends fall back to one writev per socket by themselves. Re-check:
 *       SendRingTest (it fails when the internals change or io_uring is unavailable), SlowConsumerIT, EpollSseIT
 *       and their {@code transport.ioUring: false} twins (WritevSlowConsumerIT, EpollWritevSseIT).</li>
 *   <li>{@link switchboard.internal.FlushBatch}: {@code SingleThreadEventExecutor.pendingTasks()} to tell a
 *       busy loop; Vert.x 5's event loops must still be of that kind (VertxInternalsTest).</li>
 *   <li>{@link switchboard.internal.VertxInternals}: {@code ContextInternal} (a promise whose listeners run on
 *       a given context; the Netty event loop of a context; {@code dispatch}, which runs a client's message
 *       as the context's task so that futures completed there call back in the same pass), {@code ShutdownEvent} (graceful shutdown reaching
 *       a handed-over socket), {@code PooledRedisConnection.actual().forceClose()}, {@code SocketAddressImpl.ipAddress()}
 *       (a session keeps the channel's own {@code InetAddress}, not Vert.x's address object). Re-check:
 *       ThreadContractIT, ShutdownIT, RedisOutageIT, VertxInternalsTest and the fault campaigns ({@code ./run.sh faults}).</li>
 *   <li>{@link switchboard.internal.NettyDefaults}: the system property {@code io.netty.jfr.enabled}, read when
 *       Netty's classes initialize (so set first thing in {@code Launcher.main}). Re-check: NettyDefaultsIT.</li>
 * </ul>
 * If an upgrade breaks the fast path (the handovers, DirectSend, FlushBatch), {@code transport.fastPath: false} serves
 * the same apps on Vert.x's public {@code ServerWebSocket} API while it is fixed; the conformance,
 * slow-consumer and chat suites run on both paths ({@code PublicApi*IT}); so do event streams, whose
 * suite also runs on epoll ({@code SseIT}, {@code EpollSseIT}, {@code PublicApiSseIT}).
 */
package switchboard.internal;
