package org.myoflow.dicom.simulator;

/**
 * Who and what a simulated study is: patient and study attributes as a scanner would send them, and the UIDs.
 * UIDs are derived from a root and the seed so a rerun writes the same study.
 */
public record StudyIdentity(String patientName, String patientId, String birthDate, String sex, String accession,
                            String studyInstanceUid, String studyDate, String studyTime, String studyId) {

    /** Myoflow's UID root for simulated studies (2.25 UUID-derived form keeps them globally unique). */
    public static final String UID_ROOT = "2.25.";

    public static StudyIdentity forSeed(long seed) {
        java.util.UUID u = java.util.UUID.nameUUIDFromBytes(("myoflow-study-" + seed).getBytes());
        String uid = UID_ROOT + new java.math.BigInteger(1, toBytes(u)).toString();
        return new StudyIdentity("Phantom^" + seed, "PH" + seed, "19600101", "O", "ACC" + (seed % 1_000_000),
                uid, "20261123", "120000", String.valueOf(seed % 100000));
    }

    /** A UID under this study, stable for a given suffix (series and instances). */
    public String childUid(String suffix) {
        java.util.UUID u = java.util.UUID.nameUUIDFromBytes((studyInstanceUid + "/" + suffix).getBytes());
        return UID_ROOT + new java.math.BigInteger(1, toBytes(u)).toString();
    }

    private static byte[] toBytes(java.util.UUID u) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return b.array();
    }
}
