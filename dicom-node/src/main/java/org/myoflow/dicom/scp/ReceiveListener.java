package org.myoflow.dicom.scp;

import org.myoflow.dicom.spool.SpooledInstance;

import java.util.Set;

/** Told about every instance made durable, and about each association's end (completeness is decided there). */
public interface ReceiveListener {
    void stored(SpooledInstance instance, String callingAe);

    void associationEnded(String callingAe, Set<String> studyUids, boolean released);
}
