package org.myoflow.dicom.scp;

import org.myoflow.dicom.spool.SpooledInstance;

import java.util.Set;

/** Told about every instance made durable, each association's end and each storage commitment: completeness. */
public interface ReceiveListener {
    void stored(SpooledInstance instance, String callingAe);

    void associationEnded(String callingAe, Set<String> studyUids, boolean released);

    /** The sender named these instances (all spooled) the complete set, by Storage Commitment. */
    void committed(java.util.Map<String, Set<String>> sopInstancesByStudy);
}
