package org.myoflow.dicom.scp;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.network.CEchoResponseCommandMessage;
import org.myoflow.dicom.NodeMetrics;

import java.io.IOException;

/** The C-ECHO (Verification) service: always Success while the node is up. */
final class EchoService {
    private final NodeMetrics metrics;

    EchoService(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    void answer(int msgId, byte pcid, PDataChannel channel) throws IOException {
        try {
            channel.sendCommand(pcid, new CEchoResponseCommandMessage(ScpConfig.VERIFICATION, msgId, 0).getBytes());
        } catch (DicomException e) {
            throw new IOException("cannot encode C-ECHO-RSP", e);
        }
        metrics.echoes.increment();
    }
}
