package org.myoflow.dicom.spool;

/** A received data set that the node will not keep; carries the DICOM status to answer with. */
public final class InstanceRefusedException extends Exception {
    /** 0xA700: Refused: out of resources (the spool could not make it durable; the sender may retry). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** 0xA900: Data Set does not match SOP Class. */
    public static final int DATASET_MISMATCH = 0xA900;
    /** 0xC000: Cannot understand. */
    public static final int CANNOT_UNDERSTAND = 0xC000;

    private final int status;

    public InstanceRefusedException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
