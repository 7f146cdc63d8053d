package org.myoflow.dicom.volume;

/** A series that cannot become one volume; the message says why (and so what the sender must fix). */
public class SeriesVolumeException extends Exception {
    public SeriesVolumeException(String message) {
        super(message);
    }
}
