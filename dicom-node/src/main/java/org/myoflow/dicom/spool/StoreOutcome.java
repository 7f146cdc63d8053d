package org.myoflow.dicom.spool;

/** What the spool did with one received instance; decides the C-STORE response status. */
public sealed interface StoreOutcome {

    /**
     * Durable (committed to the journal, or its part file fsynced and renamed into place): answer Success. A journaled
     * instance's file appears at {@code instance().file()} once {@code Spool.Receipt.placeFile} ran.
     */
    record Stored(SpooledInstance instance) implements StoreOutcome {
    }

    /** Its SOP Instance UID is already spooled: recorded as a duplicate, answer Success (the sender may resend). */
    record Duplicate(String sopInstanceUid, java.nio.file.Path existing) implements StoreOutcome {
    }

    /** Refused: moved to quarantine with a reason file; answer with {@code status}. */
    record Quarantined(String reason, int status, java.nio.file.Path where) implements StoreOutcome {
    }
}
