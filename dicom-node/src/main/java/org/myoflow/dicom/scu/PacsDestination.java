package org.myoflow.dicom.scu;

import java.util.ArrayList;
import java.util.List;

/** A PACS (or any C-STORE SCP) results are sent to. */
public record PacsDestination(String aeTitle, String host, int port) {

    /** {@code AE@host:port}, comma-separated; empty gives none. */
    public static List<PacsDestination> parseList(String spec) {
        List<PacsDestination> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String s : spec.split(",")) {
            s = s.strip();
            int at = s.indexOf('@'), colon = s.lastIndexOf(':');
            if (at < 1 || colon < at + 2) {
                throw new IllegalArgumentException("PACS destination must be AE@host:port, got \"" + s + "\"");
            }
            out.add(new PacsDestination(s.substring(0, at), s.substring(at + 1, colon),
                    Integer.parseInt(s.substring(colon + 1))));
        }
        return out;
    }

    @Override
    public String toString() {
        return aeTitle + "@" + host + ":" + port;
    }
}
