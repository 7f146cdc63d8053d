package org.myoflow.dicom.scp;

import org.myoflow.dicom.NodeMetrics;
import org.myoflow.dicom.spool.InstanceRefusedException;
import org.myoflow.dicom.spool.Spool;
import org.myoflow.dicom.spool.StoreOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The C-STORE service: streams each data set into the spool and answers only after the spool made it durable.
 * Statuses: 0000 stored (or a recorded duplicate), 0122 SOP class not supported, A700 out of resources (the storage
 * is below its free-space reserve, so nothing is kept; or the spool could not make it durable, quarantined with the
 * reason when the disk still allows),
 * A900 data set does not match the request, C000 cannot understand (unreadable data set, quarantined).
 */
final class StoreService {
    private static final Logger log = LoggerFactory.getLogger(StoreService.class);
    static final int SUCCESS = 0x0000;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final int OUT_OF_RESOURCES = InstanceRefusedException.OUT_OF_RESOURCES;

    private final Spool spool;
    private final Set<String> sopClasses;
    private final NodeMetrics metrics;
    private final ReceiveListener listener;

    StoreService(Spool spool, Set<String> sopClasses, NodeMetrics metrics, ReceiveListener listener) {
        this.spool = spool;
        this.sopClasses = sopClasses;
        this.metrics = metrics;
        this.listener = listener;
    }

    Transfer begin(DimseCommand cmd, byte pcid, String ts, String callingAe, String association)
            throws IOException {
        String cls = cmd.affectedSopClassUid();
        String sop = cmd.affectedSopInstanceUid();
        int msgId = cmd.messageId();
        if (!sopClasses.contains(cls)) {
            return new Transfer(pcid, cls, sop, msgId, callingAe, association, null, SOP_CLASS_NOT_SUPPORTED,
                    "SOP class not accepted");
        }
        String full = spool.refusal(); // before a byte is kept: the data set that follows is read and dropped
        if (full != null) {
            return new Transfer(pcid, cls, sop, msgId, callingAe, association, null, OUT_OF_RESOURCES, full);
        }
        return new Transfer(pcid, cls, sop, msgId, callingAe, association,
                spool.begin(cls, sop, ts, callingAe, association), SUCCESS, null);
    }

    /** One C-STORE in progress on an association. */
    final class Transfer {
        private final byte pcid;
        private final String sopClass;
        private final String sopInstance;
        private final int messageId;
        private final String callingAe;
        private final String association;
        private final Spool.Receipt receipt;
        /** Without a receipt: the status it is answered with, and why. */
        private final int refusedStatus;
        private final String refusedReason;
        private long bytes;
        /** Without a receipt: where the data set is read to and dropped. */
        private ByteBuffer discard;

        private Transfer(byte pcid, String sopClass, String sopInstance, int messageId, String callingAe,
                         String association, Spool.Receipt receipt, int refusedStatus, String refusedReason) {
            this.pcid = pcid;
            this.sopClass = sopClass;
            this.sopInstance = sopInstance;
            this.messageId = messageId;
            this.callingAe = callingAe;
            this.association = association;
            this.receipt = receipt;
            this.refusedStatus = refusedStatus;
            this.refusedReason = refusedReason;
        }

        /** Reads the next {@code length} bytes of the data set from the channel into the spool's receipt. */
        void receive(int length, PDataChannel channel) throws IOException {
            bytes += length;
            while (length > 0) {
                ByteBuffer room;
                if (receipt != null) {
                    room = receipt.room(length);
                } else {
                    if (discard == null) {
                        discard = ByteBuffer.allocate(64 * 1024);
                    }
                    room = discard.clear().limit(Math.min(length, discard.capacity()));
                }
                int n = room.remaining();
                channel.readValue(room);
                if (receipt != null) {
                    receipt.filled(room);
                }
                length -= n;
            }
        }

        /**
         * Makes the instance durable, answers the sender, then puts its spool file in place; returns the study it
         * joined, or null.
         */
        String finish(PDataChannel channel) throws IOException {
            metrics.bytesReceived.increment(bytes);
            long start = System.nanoTime();
            int status;
            StoreOutcome.Stored stored = null;
            if (receipt == null) {
                status = refusedStatus;
                metrics.instancesRefused.increment();
                log.warn("event=store_refused association={} sop={} sopClass={} status={} reason=\"{}\"",
                        association, sopInstance, sopClass, String.format("0x%04X", status), refusedReason);
            } else {
                StoreOutcome outcome;
                try {
                    outcome = receipt.makeDurable();
                } catch (IOException e) {
                    // not even quarantined (Spool quarantines what it cannot store; this is that failing too)
                    log.error("event=store_failed association={} sop={} reason=\"{}\"", association, sopInstance,
                            e.toString());
                    outcome = null;
                }
                if (outcome == null) {
                    status = OUT_OF_RESOURCES;
                    metrics.instancesFailed.increment();
                } else if (outcome instanceof StoreOutcome.Stored s) {
                    status = SUCCESS;
                    stored = s;
                    metrics.instancesStored.increment();
                } else if (outcome instanceof StoreOutcome.Quarantined q) {
                    status = q.status();
                    metrics.instancesQuarantined.increment();
                } else {
                    status = SUCCESS;
                    metrics.instancesDuplicate.increment();
                }
            }
            try {
                channel.sendCommand(pcid, DimseCommands.storeResponse(sopClass, sopInstance, messageId, status));
                metrics.storeTime.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            } finally {
                // durable already, answered or not: the spool file goes in place while the sender prepares the next
                if (stored != null && receipt.placeFile()) {
                    listener.stored(stored.instance(), callingAe);
                    log.debug("event=stored association={} study={} sop={} bytes={}", association,
                            stored.instance().studyUid(), sopInstance, bytes);
                }
            }
            return stored == null ? null : stored.instance().studyUid();
        }

        void abandon(String reason) {
            if (receipt == null) {
                return;
            }
            try {
                receipt.abandon(reason);
                metrics.instancesQuarantined.increment();
            } catch (IOException e) {
                log.error("event=quarantine_failed association={} sop={} reason=\"{}\"", association, sopInstance, e);
            }
        }
    }
}
