package org.myoflow.dicom.scp;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The C-STORE/C-ECHO SCP: accepts on its own server socket (configurable bind address, TCP_NODELAY), admits or
 * rejects each association, then runs it on PixelMed's association layer with our own services. A failure on one
 * association (garbage, abort, bad data) ends that association only.
 */
public final class DicomServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomServer.class);

    private final ScpConfig config;
    private final StoreService store;
    private final EchoService echo;
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
        ServiceDispatcher dispatcher = new ServiceDispatcher(store, echo, v.callingAe(), id);
        boolean released = false;
        Association a = null;
        try {
            a = AssociationFactory.createNewAssociation(v.socket(), config.aeTitle(), config.maxPduLength(),
                    AssociationFactory.getDefaultReceiveBufferSize(), AssociationFactory.getDefaultSendBufferSize(),
                    new AcceptedPresentationContexts(config), 0);
            log.info("event=association_accepted association={} calling={}", id, v.callingAe());
            while (dispatcher.violation() == null) {
                dispatcher.setDone(false);
                a.setReceivedDataHandler(dispatcher);
                a.waitForPDataPDUsUntilHandlerReportsDone();
            }
            log.warn("event=association_aborted association={} calling={} reason=\"{}\"", id, v.callingAe(),
                    dispatcher.violation().getMessage());
            dispatcher.abandon("association aborted: " + dispatcher.violation().getMessage());
            a.abort();
        } catch (AReleaseException e) {
            released = true;
            log.info("event=association_released association={} calling={} studies={}", id, v.callingAe(),
                    dispatcher.studies().size());
        } catch (DicomNetworkException | IOException | RuntimeException e) {
            dispatcher.abandon("association ended abnormally (" + e.getMessage() + ")");
            log.warn("event=association_ended_abnormally association={} calling={} reason=\"{}\"", id,
                    v.callingAe(), e.toString());
        } finally {
            dispatcher.abandon("association ended during the transfer");
            listener.associationEnded(v.callingAe(), dispatcher.studies(), released);
        }
    }

    /**
     * PixelMed waits a fixed 5 s (an unconditional {@code wait(5000)}) after answering A-RELEASE before it closes, which
     * held every association's thread and slot 5 s past its end and delayed completeness. Its only setting is a
     * private static; 20 ms still lets the peer close first in practice.
     */
    private static void shortenReleaseWait() {
        try {
            java.lang.reflect.Field f = Association.class.getDeclaredField(
                    "associationReleaseToTransportConnectionCloseTimeoutInMilliseconds");
            f.setAccessible(true);
            f.setInt(null, 20);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("event=release_wait_unchanged reason=\"{}\" effect=\"each association holds its slot 5 s after "
                    + "release\"", e.toString());
        }
    }

    static {
        shortenReleaseWait();
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
