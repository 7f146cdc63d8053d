package org.myoflow.infra.stack;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.TestServicesStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test service as a real gRPC frontend on 127.0.0.1 (its own {@code createPortBoundServer} binds every
 * interface). In-memory: it keeps nothing across restarts, which is why the starter re-drives unfinished studies.
 */
public final class EmbeddedTemporal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);

    private final TestServicesStarter services;
    private final Server server;

    private EmbeddedTemporal(TestServicesStarter services, Server server) {
        this.services = services;
        this.server = server;
    }

    /** @param port 0 picks a free one */
    public static EmbeddedTemporal start(int port) throws IOException {
        // time skipping locked: retry backoff and timers run on the wall clock, as in a real Temporal
        TestServicesStarter services = new TestServicesStarter(true, 0);
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
        for (BindableService s : services.getServices()) {
            b.addService(s);
        }
        Server server = b.build().start();
        log.info("event=temporal_started target=127.0.0.1:{} kind=embedded-test-service", server.getPort());
        return new EmbeddedTemporal(services, server);
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        services.close();
    }
}
