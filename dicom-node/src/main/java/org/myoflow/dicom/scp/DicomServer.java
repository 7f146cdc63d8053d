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
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final ServerSocket server;
    private final ExecutorService associations;
    private final Thread acceptor;
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closing;

    public DicomServer(ScpConfig config, Spool spool, NodeMetrics metrics, ReceiveListener listener)
            throws IOException {
        this.config = config;
        this.metrics = metrics;
        this.listener = listener;
        this.store = new StoreService(spool, config.sopClasses(), metrics, listener);
        this.echo = new EchoService(metrics);
        this.commitment = new StorageCommitmentService(spool, listener);
        this.slots = new Semaphore(config.maxAssociations());
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 128);
        this.associations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-association");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "dicom-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("event=scp_listening ae={} address={} port={} maxAssociations={}", config.aeTitle(),
                config.bindAddress(), port(), config.maxAssociations());
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    log.error("event=accept_failed reason=\"{}\"", e.toString());
                }
                continue;
            }
            try {
                associations.execute(() -> serve(socket));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        String id = "A" + counter.incrementAndGet() + "@" + socket.getRemoteSocketAddress();
        boolean slot = false;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) config.idleTimeout().toMillis());
            slot = slots.tryAcquire();
            AssociationAdmission.Verdict v = AssociationAdmission.examine(socket, config, slot);
            if (!v.admitted()) {
                metrics.associationRejected(rejectTag(v));
                log.warn("event=association_rejected association={} calling={} called={} reason=\"{}\"", id,
                        v.callingAe(), v.calledAe(), v.refusal());
                return;
            }
            metrics.associationsAccepted.increment();
            run(id, v);
        } catch (IOException e) {
            log.warn("event=association_failed association={} reason=\"{}\"", id, e.toString());
        } finally {
            if (slot) {
                slots.release();
            }
            closeQuietly(socket);
        }
    }

    private void run(String id, AssociationAdmission.Verdict v) {
        AcceptedPresentationContexts contexts = new AcceptedPresentationContexts(config);
        ServiceDispatcher dispatcher = null;
        boolean released = false;
        try {
            // PixelMed negotiates (A-ASSOCIATE-RQ/AC); the data transfer phase is ours (PDataChannel).
            // Buffer sizes 0: leave them to the kernel (PixelMed's default pins the receive buffer at 64 KB).
            AssociationFactory.createNewAssociation(v.socket(), config.aeTitle(), config.maxPduLength(), 0, 0,
                    contexts);
            dispatcher = new ServiceDispatcher(store, echo, commitment, Map.copyOf(contexts.accepted()), v.callingAe(), id);
            log.info("event=association_accepted association={} calling={} contexts={}", id, v.callingAe(),
                    contexts.accepted().size());
            PDataChannel channel = new PDataChannel(v.socket().getInputStream(), v.socket().getOutputStream(),
                    config.maxPduLength());
            PDataChannel.End end = channel.run(dispatcher);
            released = end == PDataChannel.End.RELEASED;
            if (released) {
                log.info("event=association_released association={} calling={} studies={}", id, v.callingAe(),
                        dispatcher.studies().size());
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
            if (dispatcher != null) {
                dispatcher.abandon("association ended abnormally (" + e.getMessage() + ")");
            }
            log.warn("event=association_ended_abnormally association={} calling={} reason=\"{}\"", id,
                    v.callingAe(), e.toString());
        } finally {
            if (dispatcher != null) {
                dispatcher.abandon("association ended during the transfer");
                listener.associationEnded(v.callingAe(), dispatcher.studies(), released);
            }
        }
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

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is best effort; the peer sees the connection end either way
        }
    }

    /** Stops accepting, then waits for running associations to end (each ends by release, abort or idle timeout). */
    @Override
    public void close() throws IOException {
        closing = true;
        server.close();
        associations.shutdown();
        try {
            if (!associations.awaitTermination(config.idleTimeout().toSeconds() + 5, TimeUnit.SECONDS)) {
                associations.shutdownNow();
            }
        } catch (InterruptedException e) {
            associations.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("event=scp_stopped ae={}", config.aeTitle());
    }
}
