package org.myoflow.dicom.scp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import org.junit.jupiter.api.Test;
import org.myoflow.dicom.Attrs;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written DIMSE command reader and C-STORE-RSP writer against PixelMed's: commands PixelMed encodes read back
 * to the same fields, our C-STORE-RSP is byte for byte PixelMed's, and malformed command sets are protocol violations
 * (the association is aborted), never another exception.
 */
class DimseCommandTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String NM = "1.2.840.10008.5.1.4.1.1.20";

    @Test
    void readsTheStoreRequestsPixelMedWrites() throws Exception {
        // odd and even UID lengths (odd ones carry a NUL pad), with and without the C-MOVE originator elements
        for (String sop : new String[] {"1.2.3.4", "1.2.3.45", "2.25.123456789012345678901234567890123456789"}) {
            for (String moveOriginator : new String[] {null, "MOVESCU"}) {
                byte[] rq = moveOriginator == null ? new CStoreRequestCommandMessage(NM, sop).getBytes()
                        : new CStoreRequestCommandMessage(NM, sop, moveOriginator, 17).getBytes();
                AttributeList expected = DimseCommands.decode(rq, "1.2.840.10008.1.2");
                DimseCommand cmd = DimseCommand.read(rq, rq.length);
                assertEquals(ServiceDispatcher.C_STORE_RQ, cmd.field());
                assertEquals(Attrs.integer(expected, TagFromName.MessageID, -1), cmd.messageId());
                assertTrue(cmd.hasDataSet());
                assertEquals(NM, cmd.affectedSopClassUid());
                assertEquals(sop, cmd.affectedSopInstanceUid());
                assertEquals("", cmd.requestedSopClassUid());
            }
        }
    }

    @Test
    void readsAnEchoAndAStorageCommitmentRequest() throws Exception {
        byte[] echo = new CEchoRequestCommandMessage().getBytes();
        DimseCommand e = DimseCommand.read(echo, echo.length);
        assertEquals(ServiceDispatcher.C_ECHO_RQ, e.field());
        assertFalse(e.hasDataSet());

        AttributeList action = new AttributeList();
        Attrs.put(action, TagFromName.RequestedSOPClassUID, StorageCommitmentService.SOP_CLASS);
        Attrs.put(action, TagFromName.CommandField, ServiceDispatcher.N_ACTION_RQ);
        Attrs.put(action, TagFromName.MessageID, 40000);
        Attrs.put(action, TagFromName.CommandDataSetType, 0x0000);
        Attrs.put(action, new AttributeTag(0x0000, 0x1001), StorageCommitmentService.WELL_KNOWN_INSTANCE);
        Attrs.put(action, new AttributeTag(0x0000, 0x1008), 1);
        byte[] rq = DimseCommands.command(action);
        DimseCommand a = DimseCommand.read(rq, rq.length);
        assertEquals(ServiceDispatcher.N_ACTION_RQ, a.field());
        assertEquals(40000, a.messageId());
        assertTrue(a.hasDataSet());
        assertEquals(StorageCommitmentService.SOP_CLASS, a.requestedSopClassUid());
        assertEquals(StorageCommitmentService.WELL_KNOWN_INSTANCE, a.requestedSopInstanceUid());
    }

    @Test
    void aCommandSetLongerThan64KbIsAViolationBeforeItIsBuffered() throws Exception {
        ServiceDispatcher dispatcher = new ServiceDispatcher(null, null, null,
                java.util.Map.of((byte) 1, "1.2.840.10008.1.2"), "SCANNER", "A1");
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             SocketChannel peer = SocketChannel.open(server.getLocalAddress());
             SocketChannel ours = server.accept()) {
            // two P-DATA-TF, each one 40 KB command fragment, neither the command's last
            int value = 40 * 1024;
            ByteBuffer pdus = ByteBuffer.allocate(2 * (value + 12));
            for (int i = 0; i < 2; i++) {
                pdus.put((byte) 0x04).put((byte) 0).putInt(value + 6).putInt(value + 2).put((byte) 1).put((byte) 0x01)
                        .put(new byte[value]);
            }
            pdus.flip();
            java.util.concurrent.CompletableFuture<Void> sending = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            while (pdus.hasRemaining()) {
                                peer.write(pdus);
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            PDataChannel channel = new PDataChannel(ours, ours.socket().getOutputStream(), 256 * 1024,
                    new WatchedInput(ours.socket().getInputStream(), 0),
                    ByteBuffer.allocateDirect(PDataChannel.READ_BUFFER));
            ServiceDispatcher.ProtocolViolation v = assertThrows(ServiceDispatcher.ProtocolViolation.class,
                    () -> channel.run(dispatcher));
            assertTrue(v.getMessage().contains("longer than"), v.getMessage());
            sending.get(10, java.util.concurrent.TimeUnit.SECONDS);
            ByteBuffer answer = ByteBuffer.allocate(10);
            while (answer.hasRemaining() && peer.read(answer) > 0) {
                // the A-ABORT, 10 bytes
            }
            assertEquals(0x07, answer.get(0), "A-ABORT");
        }
    }

    @Test
    void writesTheStoreResponsePixelMedWrites() throws Exception {
        for (String cls : new String[] {CT, NM}) {
            for (String sop : new String[] {"1.2.3.4", "1.2.3.45", "1.2.826.0.1.3680043.8.498.1"}) {
                for (int status : new int[] {0x0000, 0x0122, 0xA700, 0xA900, 0xC000}) {
                    for (int msgId : new int[] {1, 255, 256, 65535}) {
                        assertArrayEquals(new CStoreResponseCommandMessage(cls, sop, msgId, status).getBytes(),
                                DimseCommands.storeResponse(cls, sop, msgId, status),
                                cls + " " + sop + " status " + status + " message " + msgId);
                    }
                }
            }
        }
    }

    @Test
    void malformedCommandSetsAreViolationsNeverOtherErrors() throws Exception {
        byte[] rq = new CStoreRequestCommandMessage(CT, "1.2.3.4.5", "MOVESCU", 3).getBytes();
        // every prefix: either it ends on an element boundary and still holds the Command Field, or it is refused
        for (int n = 0; n < rq.length; n++) {
            try {
                DimseCommand cmd = DimseCommand.read(rq, n);
                assertEquals(ServiceDispatcher.C_STORE_RQ, cmd.field(), "prefix " + n);
            } catch (ServiceDispatcher.ProtocolViolation expected) {
                assertTrue(expected.getMessage().startsWith("unreadable DIMSE command"));
            }
        }
        byte[] otherGroup = rq.clone();
        otherGroup[12] = 0x08; // the second element's group becomes 0008
        assertThrows(ServiceDispatcher.ProtocolViolation.class, () -> DimseCommand.read(otherGroup, otherGroup.length));
        byte[] longField = new byte[] {0, 0, 0, 1, 4, 0, 0, 0, 1, 0, 0, 0}; // Command Field with 4 bytes
        assertThrows(ServiceDispatcher.ProtocolViolation.class, () -> DimseCommand.read(longField, longField.length));
        byte[] longUid = new byte[8 + 2000];
        longUid[2] = 0x02; // (0000,0002) Affected SOP Class UID
        longUid[5] = (byte) (2000 >> 8);
        longUid[4] = (byte) (2000 & 0xff);
        Arrays.fill(longUid, 8, longUid.length, (byte) '1');
        assertThrows(ServiceDispatcher.ProtocolViolation.class, () -> DimseCommand.read(longUid, longUid.length));
        byte[] noField = Arrays.copyOf(rq, 12); // the group length alone
        assertThrows(ServiceDispatcher.ProtocolViolation.class, () -> DimseCommand.read(noField, noField.length));

        Random random = new Random(11);
        for (int i = 0; i < 5000; i++) {
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            if (i % 2 == 0 && garbage.length > 16) {
                System.arraycopy(rq, 0, garbage, 0, 16); // a plausible start, garbage after it
            }
            try {
                DimseCommand.read(garbage, garbage.length);
            } catch (ServiceDispatcher.ProtocolViolation expected) {
                // the only acceptable failure
            }
        }
    }
}
