package org.myoflow.dicom;

/** Byte-pattern search for tests that change one element of an encoded data set or PDU stream in place. */
public final class Bytes {
    private Bytes() {
    }

    /** Where {@code what} first occurs in {@code s} at or after {@code from}, or -1. */
    public static int indexOf(byte[] s, byte[] what, int from) {
        outer:
        for (int i = Math.max(0, from); i + what.length <= s.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (s[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static int indexOf(byte[] s, byte[] what) {
        return indexOf(s, what, 0);
    }
}
