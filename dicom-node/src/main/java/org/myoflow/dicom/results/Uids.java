package org.myoflow.dicom.results;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** UIDs derived from a name (2.25 + a name-based UUID, PS3.5 B.2): the same result always gets the same UID. */
public final class Uids {
    private Uids() {
    }

    public static String derived(String name) {
        UUID u = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
