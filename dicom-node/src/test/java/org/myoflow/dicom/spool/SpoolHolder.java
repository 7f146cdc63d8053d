package org.myoflow.dicom.spool;

import java.nio.file.Path;

/** A node's spool opened in a process of its own, held until the process is killed (SpoolLockTest). */
public final class SpoolHolder {
    public static void main(String[] args) throws Exception {
        Spool spool = new Spool(Path.of(args[0]));
        System.out.println("holding " + spool.directory());
        System.out.flush();
        while (true) {
            Thread.sleep(60_000); // until killed: the lock must end with the process, never be left stale
        }
    }
}
