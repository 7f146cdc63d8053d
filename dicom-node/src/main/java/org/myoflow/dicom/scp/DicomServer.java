package org.myoflow.dicom.scp;

import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.DicomNetworkException;
import org.myoflow.dicom.NodeMetrics;
import org.myoflow.dicom.spool.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The C-STORE/C-ECHO SCP: accepts on its own server socket (configurable bind address, TCP_NODELAY), admits or
 * rejects each association, lets PixelMed negotiate it, then runs the data transfer phase itself ({@link PDataChannel})
 * with our services. A failure on one association (garbage, abort, bad data) ends that association only.
 */
public final class DicomServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomServer.class);

    private final ScpConfig config;
    private final StoreService store;
    private final EchoService echo;
    private final StorageCommitmentService commitment;
    private final NodeMetrics metrics;
    private final ReceiveListener listener;
    private final Semaphore slots;
    /**
     * Connections whose request is not yet in and answered. Each has a thread until then (at most the request
     * timeout); without a bound, a flood of connections would start threads until the node ran out of memory.
     */
    private final Semaphore pending;
    /** When the last connection turned away at the pending limit was logged (one line per second at most). */
    private long lastPendingLimitLog;
    private long turnedAwaySinceLog;
    /** A channel, so that every accepted socket has one: the data phase reads it into direct buffers. */
    private final ServerSocketChannel server;
    private final ExecutorService associations;
    private final Thread acceptor;
    private final AtomicInteger counter = new AtomicInteger();
    /** Sockets of the associations being served, so that a stop past its drain limit can end them. */
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    /** The socket input of every association, for the idle watch (their reads block with no socket timeout). */
    private final Map<WatchedInput, Socket> watched = new ConcurrentHashMap<>();
    /** The socket output of every association, for the idle watch (a peer that stops reading blocks our writes). */
    private final Map<WatchedOutput, Socket> writing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService idleWatch;
    /** The data phases' read buffers (direct), reused from association to association. */
    private final ConcurrentLinkedDeque<ByteBuffer> readBuffers =
            new ConcurrentLinkedDeque<>();
    private volatile boolean closing;
    /** After the drain limit: how long an aborted association's thread gets to finish, and again once closed. */
    private static final int ABORT_GRACE_SECONDS = 2;
    /** The stop's drain limit passed: associations still running are aborted by their own threads. */
    private volatile boolean drainExpired;

    public DicomServer(ScpConfig config, Spool spool, NodeMetrics metrics, ReceiveListener listener)
            throws IOException {
        this.config = config;
        this.metrics = metrics;
        this.listener = listener;
        this.store = new StoreService(spool, config.sopClasses(), metrics, listener);
        this.echo = new EchoService(metrics);
        this.commitment = new StorageCommitmentService(spool, listener);
        this.slots = new Semaphore(config.maxAssociations());
        this.pending = new Semaphore(config.maxPendingConnections());
        this.lastPendingLimitLog = System.nanoTime() - 2_000_000_000L; // nanoTime's origin is arbitrary, maybe negative
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 128);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen for DICOM on " + config.bindAddress() + ":" + config.port() + " ("
                    + e.getMessage() + "; is another node or storescp on that port?)", e);
        }
        this.associations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-association");
            t.setDaemon(true);
            return t;
        });
        this.idleWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dicom-idle-watch");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(100, Math.min(1000,
                Math.min(config.idleTimeout().toMillis(), config.requestTimeout().toMillis()) / 10));
        idleWatch.scheduleWithFixedDelay(this::endIdleAssociations, tick, tick, TimeUnit.MILLISECONDS);
        this.acceptor = new Thread(this::acceptLoop, "dicom-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("event=scp_listening ae={} address={} port={} maxAssociations={} maxPendingConnections={}",
                config.aeTitle(), config.bindAddress(), port(), config.maxAssociations(),
                config.maxPendingConnections());
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.socket().getLocalPort();
    }

    /**
     * Shuts the input of every association whose read has waited for its sender longer than the idle timeout, or whose
     * request is not in by its deadline (ARTIM), and closes the socket of every one whose write has waited the idle
     * timeout for its sender to read (no A-ABORT could get through).
     */
    private void endIdleAssociations() {
        long now = System.nanoTime();
        long limit = config.idleTimeout().toNanos();
        watched.forEach((input, socket) -> {
            if (input.peerWait().overdue(now, limit) || input.requestOverdue(now)) {
                // its blocked read returns end of stream; its thread sends the A-ABORT, or before a whole request
                // just closes the connection (PS3.8 9.2, AA-2: ARTIM expired in Sta2)
                shutdownInput(socket);
            }
        });
        writing.forEach((output, socket) -> {
            if (output.peerWait().overdue(now, limit)) {
                closeQuietly(socket); // its blocked write fails; its thread ends the association
            }
        });
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept().socket();
            } catch (IOException e) {
                if (!closing) {
                    log.error("event=accept_failed reason=\"{}\"", e.toString());
                }
                continue;
            }
            if (!pending.tryAcquire()) {
                turnAway(socket);
                continue;
            }
            try {
                associations.execute(() -> serve(socket));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.release();
                closeQuietly(socket);
            }
        }
    }

    /**
     * Closes a connection beyond the pending limit before reading anything from it (no thread, no buffer). A sender
     * sees its connection closed and retries later; the pending ones leave within the request timeout.
     */
    private void turnAway(Socket socket) {
        metrics.associationRejected("pending-limit");
        turnedAwaySinceLog++;
        long now = System.nanoTime();
        if (now - lastPendingLimitLog > 1_000_000_000L) {
            log.warn("event=connection_refused peer={} reason=\"{} connections are waiting for their association "
                    + "request to be answered (pending limit); closed at once\" refusedSinceLastLog={}",
                    socket.getRemoteSocketAddress(), config.maxPendingConnections(), turnedAwaySinceLog);
            lastPendingLimitLog = now;
            turnedAwaySinceLog = 0;
        }
        closeQuietly(socket);
    }

    private void serve(Socket socket) {
        String id = "A" + counter.incrementAndGet() + "@" + socket.getRemoteSocketAddress();
        boolean slot = false;
        boolean isPending = true;
        live.add(socket);
        WatchedInput input = null;
        WatchedOutput output = null;
        try {
            socket.setTcpNoDelay(true);
            input = new WatchedInput(socket.getInputStream(), System.nanoTime() + config.requestTimeout().toNanos());
            watched.put(input, socket);
            output = new WatchedOutput(socket.getOutputStream());
            writing.put(output, socket);
            AssociationAdmission.Verdict v = AssociationAdmission.examine(socket, input, output, config,
                    slots::tryAcquire);
            slot = v.admitted();
            pending.release(); // answered: admitted into a slot, or rejected and about to close
            isPending = false;
            input.requestReceived();
            if (!v.admitted()) {
                metrics.associationRejected(input.requestTimedOut() ? "request-timeout" : rejectTag(v));
                log.warn("event=association_rejected association={} calling={} called={} reason=\"{}\"", id,
                        v.callingAe(), v.calledAe(), input.requestTimedOut() ? requestTimedOut()
                                : input.peerWait().timedOut() ? "nothing received for "
                                + config.idleTimeout().toSeconds() + " s (idle timeout)" : v.refusal());
                return;
            }
            metrics.associationsAccepted.increment();
            run(id, socket, v, input, output);
        } catch (IOException e) {
            if (input != null && input.requestTimedOut()) { // cut off in the middle of its request
                metrics.associationRejected("request-timeout");
                log.warn("event=association_rejected association={} reason=\"{}\"", id, requestTimedOut());
            } else {
                log.warn("event=association_failed association={} reason=\"{}\"", id, e.toString());
            }
        } finally {
            if (isPending) {
                pending.release();
            }
            if (slot) {
                slots.release();
            }
            if (input != null) {
                watched.remove(input);
            }
            if (output != null) {
                writing.remove(output);
            }
            live.remove(socket);
            closeQuietly(socket);
        }
    }

    private void run(String id, Socket socket, AssociationAdmission.Verdict v, WatchedInput input,
                     WatchedOutput output) {
        AcceptedPresentationContexts contexts = new AcceptedPresentationContexts(config);
        ServiceDispatcher dispatcher = null;
        PDataChannel channel = null;
        boolean released = false;
        ByteBuffer readBuffer = readBuffers.pollFirst();
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(PDataChannel.READ_BUFFER);
        }
        try {
            // PixelMed negotiates (A-ASSOCIATE-RQ/AC); the data transfer phase is ours (PDataChannel).
            // Buffer sizes 0: leave them to the kernel (PixelMed's default pins the receive buffer at 64 KB).
            AssociationFactory.createNewAssociation(v.socket(), config.aeTitle(), config.maxPduLength(), 0, 0,
                    contexts);
            dispatcher = new ServiceDispatcher(store, echo, commitment, Map.copyOf(contexts.accepted()), v.callingAe(), id);
            log.info("event=association_accepted association={} calling={} contexts={}", id, v.callingAe(),
                    contexts.accepted().size());
            // PixelMed read the A-ASSOCIATE-RQ to its end (replayed, AssociationAdmission) and reads nothing more:
            // from here on the channel is read directly
            channel = new PDataChannel(socket.getChannel(), v.socket().getOutputStream(), config.maxPduLength(),
                    input, readBuffer);
            PDataChannel.End end = channel.run(dispatcher);
            released = end == PDataChannel.End.RELEASED;
            if (released) {
                log.info("event=association_released association={} calling={} studies={}", id, v.callingAe(),
                        dispatcher.studies().size());
            } else if (end == PDataChannel.End.CLOSED && drainExpired) {
                abortForStop(id, v.callingAe(), channel, dispatcher);
            } else {
                log.warn("event=association_ended association={} calling={} how={}", id, v.callingAe(), end);
                dispatcher.abandon(switch (end) {
                    case ABORTED_BY_PEER -> "association aborted by the sender";
                    case TIMED_OUT -> "association ended: nothing received for " + config.idleTimeout().toSeconds()
                            + " s (idle timeout), aborted";
                    default -> "connection closed without release";
                });
            }
        } catch (ServiceDispatcher.ProtocolViolation e) {
            log.warn("event=association_aborted association={} calling={} reason=\"{}\"", id, v.callingAe(),
                    e.getMessage());
            dispatcher.abandon("association aborted: " + e.getMessage());
        } catch (DicomNetworkException | IOException | RuntimeException e) {
            if (drainExpired) { // cut off mid-PDU by the stop
                abortForStop(id, v.callingAe(), channel, dispatcher);
            } else if (output.peerWait().timedOut()) {
                String why = "the sender read none of our answers for " + config.idleTimeout().toSeconds()
                        + " s (idle timeout); connection closed";
                if (dispatcher != null) {
                    dispatcher.abandon("association ended: " + why);
                }
                log.warn("event=association_ended association={} calling={} how=TIMED_OUT reason=\"{}\"", id,
                        v.callingAe(), why);
            } else {
                if (dispatcher != null) {
                    dispatcher.abandon("association ended abnormally (" + e.getMessage() + ")");
                }
                if (channel == null && !(e instanceof IOException)) {
                    AssociationAdmission.abortMalformedRequest(output); // the toolkit could not parse the request
                } else if (channel != null && e instanceof RuntimeException) {
                    channel.abort(0); // our own failure, not the peer's: it learns the association is over
                }
                log.warn("event=association_ended_abnormally association={} calling={} reason=\"{}\"", id,
                        v.callingAe(), e.toString());
            }
        } finally {
            readBuffers.offerFirst(readBuffer);
            if (dispatcher != null) {
                dispatcher.abandon("association ended during the transfer");
                listener.associationEnded(v.callingAe(), dispatcher.studies(), released);
            }
        }
    }

    /**
     * The stop shut this association's input after the drain limit: an A-ABORT (source service provider) tells the
     * sender that the instance it was sending was not answered, so it keeps it; what had arrived of it is quarantined.
     */
    private void abortForStop(String id, String callingAe, PDataChannel channel, ServiceDispatcher dispatcher) {
        if (channel != null) {
            channel.abort(0);
        }
        String why = "association aborted: the node is stopping and its drain limit of "
                + config.stopDrain().toMillis() / 1000.0 + " s passed";
        if (dispatcher != null) {
            dispatcher.abandon(why);
        }
        log.warn("event=association_aborted association={} calling={} reason=\"{}\"", id, callingAe, why);
    }

    private String requestTimedOut() {
        return "no whole A-ASSOCIATE-RQ within " + config.requestTimeout().toMillis() / 1000.0
                + " s of connecting (ARTIM timer, PS3.8 9.1.5); connection closed";
    }

    private static String rejectTag(AssociationAdmission.Verdict v) {
        String r = v.refusal();
        if (r.startsWith("calling")) {
            return "calling-ae";
        } else if (r.startsWith("called")) {
            return "called-ae";
        } else if (r.startsWith("more than")) {
            return "limit";
        }
        return "not-dicom";
    }

    private static void shutdownInput(Socket s) {
        try {
            s.shutdownInput(); // a read blocked on it returns end of stream
        } catch (IOException e) {
            // already closed: its thread is ending anyway
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is best effort; the peer sees the connection end either way
        }
    }

    /**
     * Stops accepting, then waits up to the drain limit for running associations to end by themselves (release,
     * abort or idle timeout). Past it, each one's input is shut down: its thread finishes what it has already read,
     * sends an A-ABORT and quarantines a half-received instance with the reason. A thread that still has not ended
     * (blocked writing to a sender that does not read) has its socket closed. So the node closes its spool with no
     * association still appending to it (one that somehow still is gets refused by the closed journal, never
     * answered success).
     */
    @Override
    public void close() throws IOException {
        closing = true;
        server.close();
        associations.shutdown();
        try {
            if (!associations.awaitTermination(config.stopDrain().toMillis(), TimeUnit.MILLISECONDS)) {
                drainExpired = true;
                log.warn("event=scp_drain_expired ae={} associations={} drainSeconds={}", config.aeTitle(),
                        live.size(), config.stopDrain().toMillis() / 1000.0);
                live.forEach(DicomServer::shutdownInput);
                if (!associations.awaitTermination(ABORT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    live.forEach(DicomServer::closeQuietly);
                    associations.shutdownNow();
                    if (!associations.awaitTermination(ABORT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                        log.error("event=scp_stop_incomplete ae={} associations={}", config.aeTitle(), live.size());
                    }
                }
            }
        } catch (InterruptedException e) {
            associations.shutdownNow();
            Thread.currentThread().interrupt();
        }
        idleWatch.shutdownNow();
        log.info("event=scp_stopped ae={}", config.aeTitle());
    }
}
